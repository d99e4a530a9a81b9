"""The chart of `make bench` as hand-written SVG (no plotting library to install): horizontal bars,
Samsa and Tansu side by side, one panel per figure."""
from xml.sax.saxutils import escape

COLOURS = {"samsa": "#e4572e", "tansu": "#4c72b0"}
WIDTH = 900
LABEL_WIDTH = 260
BAR_HEIGHT = 11
ROW_GAP = 8
PANEL_GAP = 46


def panel(title, unit, rows, top):
    """rows: (label, {broker: value}); returns the SVG elements and the panel's height."""
    scale_width = WIDTH - LABEL_WIDTH - 110
    largest = max((value for _, values in rows for value in values.values()), default=1) or 1
    elements = [f'<text x="10" y="{top + 16}" font-weight="bold">{escape(title)}</text>']
    y = top + 30
    for label, values in rows:
        elements.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT + 3}" text-anchor="end">{escape(label)}</text>')
        for broker, value in values.items():
            length = max(value / largest * scale_width, 1)
            elements.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{COLOURS[broker]}"/>')
            elements.append(f'<text x="{LABEL_WIDTH + length + 5:.1f}" y="{y + BAR_HEIGHT - 1}" font-size="10">{format_value(value)} {unit}</text>')
            y += BAR_HEIGHT
        y += ROW_GAP
    return elements, y - top


def format_value(value):
    if value >= 1e6:
        return f"{value / 1e6:.2f} M"
    if value >= 1e4:
        return f"{value / 1e3:.0f} k"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def write_chart(results, path):
    throughput = [(f"{case}: {client}", {broker: results["throughput"][broker][case][client]["messages_per_second"] for broker in ("samsa", "tansu")})
                  for case in results["throughput"]["samsa"] for client in results["throughput"]["samsa"][case]]
    notes = [(case, {broker: results["study_notes"][broker][case]["seconds"] for broker in ("samsa", "tansu")})
             for case in results["study_notes"]["samsa"]]
    acks_rate = [(case, {broker: results["acks_all"][broker][case]["messages_per_second"] for broker in ("samsa", "tansu")})
                 for case in results["acks_all"]["samsa"]]
    acks_p99 = [(f"{case} {percentile}", {broker: results["acks_all"][broker][case][f"{percentile}_ms"] for broker in ("samsa", "tansu")})
                for case in results["acks_all"]["samsa"] for percentile in ("p50", "p99")]
    count = results["parameters"]["throughput_count"]
    panels = [
        (f"Throughput, {count:,} × 100 B, acks=1 (messages/s, longer is better)", "msg/s", throughput),
        (f"Study notes, {results['parameters']['notes_count']:,} sends with flush() after each (seconds, shorter is better)", "s", notes),
        ("acks=1 and acks=all, 1 and 8 producers, Swift SDK (messages/s)", "msg/s", acks_rate),
        ("acks=1 and acks=all latency (ms, shorter is better)", "ms", acks_p99),
    ]
    elements = [f'<rect x="{LABEL_WIDTH}" y="8" width="12" height="12" fill="{COLOURS["samsa"]}"/>',
                f'<text x="{LABEL_WIDTH + 18}" y="18">Samsa</text>',
                f'<rect x="{LABEL_WIDTH + 90}" y="8" width="12" height="12" fill="{COLOURS["tansu"]}"/>',
                f'<text x="{LABEL_WIDTH + 108}" y="18">Tansu (memory storage)</text>',
                f'<text x="{WIDTH - 10}" y="18" text-anchor="end" font-size="10">{escape(results["machine"]["date"])}, medians of {results["parameters"]["repeats"]}</text>']
    top = 28
    for title, unit, rows in panels:
        drawn, height = panel(title, unit, rows, top)
        elements += drawn
        top += height + PANEL_GAP - 30
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{top}" viewBox="0 0 {WIDTH} {top}" '
           'font-family="Helvetica, Arial, sans-serif" font-size="12">\n'
           f'<rect width="{WIDTH}" height="{top}" fill="white"/>\n' + "\n".join(elements) + "\n</svg>\n")
    with open(path, "w") as output:
        output.write(svg)
