"""The targets of issue 8 judged against a run's figures, and the "End-to-end" section of
Benchmarks/RESULTS.md rendered from them. Only the text between the markers is ever rewritten, so
the other sections (Reliability, edited by hand) stay as they are."""
import os

BEGIN = "<!-- end-to-end: written by `make bench` (Benchmarks/EndToEnd/run_benchmarks.py); edits here are lost -->"
END = "<!-- end-to-end: end -->"
COMPRESSIONS = ("none", "gzip")


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def rate(results, broker, case, client):
    return results["throughput"][broker][case][client]["messages_per_second"]


def targets(results):
    """(target, figure, met) for each target of the issue, in its order."""
    notes = results["study_notes"]
    count = results["parameters"]["notes_count"]
    rows = []
    stored = notes["samsa"]["kafka-python acks=0"]["stored"]
    rows.append((f"study notes: all {count:,} stored on Samsa", f"{stored:,} stored (fewest of the runs)", stored == count))
    time_ratio = ratio(notes["samsa"]["kafka-python acks=0"]["seconds"], notes["tansu"]["kafka-python acks=0"]["seconds"])
    rows.append(("study notes: kafka-python time Samsa/Tansu ≤ 1.0", f"{time_ratio:.2f}", time_ratio <= 1.0))
    speedup = ratio(notes["samsa"]["confluent-kafka acks=1"]["seconds"], notes["samsa"]["swift-sdk acks=1"]["seconds"])
    rows.append(("flush after each send, acks=1, on Samsa: Swift SDK ≥ 3× faster than confluent-kafka", f"{speedup:.2f}×", speedup >= 3))
    for direction in ("produce", "consume"):
        for compression in COMPRESSIONS:
            case = f"{direction} {compression}"
            value = ratio(rate(results, "samsa", case, "swift-sdk"), rate(results, "samsa", case, "confluent-kafka"))
            rows.append((f"{case}, on Samsa: Swift SDK/confluent-kafka msg/s ≥ 1.0", f"{value:.2f}", value >= 1.0))
    for direction in ("produce", "consume"):
        for compression in COMPRESSIONS:
            case = f"{direction} {compression}"
            value = ratio(rate(results, "samsa", case, "confluent-kafka"), rate(results, "tansu", case, "confluent-kafka"))
            rows.append((f"{case} with confluent-kafka: Samsa/Tansu msg/s ≥ 1.0", f"{value:.2f}", value >= 1.0))
    cost = results["broker_cost"]
    cpu = ratio(cost["samsa"]["cpu_seconds_per_million"], cost["tansu"]["cpu_seconds_per_million"])
    rows.append(("broker CPU per million messages: Samsa/Tansu ≤ 2.0", f"{cpu:.2f}", cpu <= 2.0))
    idle = results["idle_rss_mib"]["samsa, console off"]
    rows.append(("Samsa idle RSS, console off ≤ 32 MiB", f"{idle:.1f} MiB", idle <= 32))
    peak = cost["samsa"]["peak_rss_mib"]
    rows.append(("Samsa peak RSS during case 3 ≤ 128 MiB", f"{peak:.1f} MiB", peak <= 128))
    acks = results["acks_all"]["samsa"]
    best_acks_1 = max(acks["acks=1 ×1"]["messages_per_second"], acks["acks=1 ×8"]["messages_per_second"])
    share = ratio(acks["acks=all ×8"]["messages_per_second"], best_acks_1)
    rows.append(("Samsa acks=all with 8 producers ≥ 50% of the best acks=1 throughput", f"{share:.0%}", share >= 0.5))
    return rows


def render_section(results, chart_path):
    machine = results["machine"]
    parameters = results["parameters"]
    lines = [BEGIN, "## End-to-end", ""]
    lines += [
        f"`make bench`, {machine['date']}, commit {machine['commit']}, {parameters['repeats']} repetitions (figures are medians), "
        f"{results['minutes']:.1f} minutes. Machine: {machine['nproc']} cores ({machine['cpu']}), Linux {machine['kernel']}, "
        "a shared machine, so only ratios measured in the same run mean much. "
        f"{machine['swift']}; Samsa release build (acks=1 answered after write(), data in a folder on disk); "
        f"{machine['tansu']} with `--storage-engine memory://` (nothing written to disk); "
        f"Python {machine['python']}, kafka-python {machine['kafka_python']}, confluent-kafka {machine['confluent_kafka']} "
        f"(librdkafka {machine['librdkafka']}). Brokers and clients share the two cores over 127.0.0.1; each client is its "
        "own process and times itself around its sends or reads only. Chart: "
        f"[{os.path.basename(chart_path)}]({chart_path}).",
        "",
        "### Targets (issue 8)",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    lines += [f"| {target} | {figure} | {'met' if met else '**missed**'} |" for target, figure, met in results["targets"]]
    lines += study_notes_table(results) + throughput_table(results) + acks_table(results) + cost_table(results)
    lines += [END]
    return "\n".join(lines) + "\n"


def study_notes_table(results):
    notes = results["study_notes"]
    count = results["parameters"]["notes_count"]
    lines = heading(f"1, 2. The study notes: {count:,} JSON messages, gzip, flush() after each send",
                    "Stored = read back from the start of the topic with confluent-kafka (the fewest of the runs); Tansu's "
                    "ListOffsets end offset can lag what a consumer reads, so offsets are not used.",
                    ["client", "Samsa s", "stored", "Tansu s", "stored", "Samsa/Tansu", "Swift SDK/this client (time) on Samsa"])
    for case in notes["samsa"]:
        samsa, tansu = notes["samsa"][case], notes["tansu"][case]
        acks = case.split()[-1]
        swift = notes["samsa"].get(f"swift-sdk {acks}")
        versus = "" if case.startswith("swift-sdk") or not swift else f"{ratio(swift['seconds'], samsa['seconds']):.2f}"
        lines.append(f"| {case} | {samsa['seconds']:.2f} | {samsa['stored']:,} | {tansu['seconds']:.2f} | {tansu['stored']:,} | "
                     f"{ratio(samsa['seconds'], tansu['seconds']):.2f} | {versus} |")
    return lines


def heading(title, note, columns):
    """A subsection's title, its note and the head of its table."""
    return ["", f"### {title}", "", note, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def throughput_table(results):
    count = results["parameters"]["throughput_count"]
    lines = heading(f"3. Throughput: {count:,} × 100 B, acks=1, linger.ms=5, batch.size=256 KiB",
                    "Producers write their own topic; every consumer reads the topic confluent-kafka wrote (same batches). "
                    "Consumers are timed from assignment (the Swift SDK: after its group join, kafka-consumer-perf-test's "
                    "fetch time) to the last message.",
                    ["case", "client", "Samsa msg/s", "MB/s", "Tansu msg/s", "MB/s", "Samsa/Tansu", "Swift SDK/this client"])
    for case in results["throughput"]["samsa"]:
        for client, samsa in results["throughput"]["samsa"][case].items():
            tansu = results["throughput"]["tansu"][case][client]
            swift = results["throughput"]["samsa"][case]["swift-sdk"]
            versus = "" if client == "swift-sdk" else f"{ratio(swift['messages_per_second'], samsa['messages_per_second']):.2f}"
            flags = "".join(f" ({name}: {entry['messages']:,} moved)" for name, entry in (("Samsa", samsa), ("Tansu", tansu))
                            if not entry["complete"] or entry["messages"] != count)
            lines.append(f"| {case} | {client}{flags} | {samsa['messages_per_second']:,.0f} | {samsa['mb_per_second']:.1f} | "
                         f"{tansu['messages_per_second']:,.0f} | {tansu['mb_per_second']:.1f} | "
                         f"{ratio(samsa['messages_per_second'], tansu['messages_per_second']):.2f} | {versus} |")
    return lines


def acks_table(results):
    count = results["parameters"]["acks_all_count"]
    lines = heading(f"4. acks=all against acks=1: {count:,} × 100 B on one partition, `samsa perf produce` (Swift SDK)",
                    "With 8 producers each sends an eighth; msg/s spans the first producer's first send to the last one's end; "
                    "p50 is the median of the producers' p50s, p99 the worst producer's. Tansu's memory storage has no fsync, "
                    "so its acks=all costs what acks=1 does.",
                    ["case", "Samsa msg/s", "p50 ms", "p99 ms", "Tansu msg/s", "p50 ms", "p99 ms", "Samsa/Tansu"])
    for case, samsa in results["acks_all"]["samsa"].items():
        tansu = results["acks_all"]["tansu"][case]
        lines.append(f"| {case} | {samsa['messages_per_second']:,.0f} | {samsa['p50_ms']:g} | {samsa['p99_ms']:g} | "
                     f"{tansu['messages_per_second']:,.0f} | {tansu['p50_ms']:g} | {tansu['p99_ms']:g} | "
                     f"{ratio(samsa['messages_per_second'], tansu['messages_per_second']):.2f} |")
    return lines


def cost_table(results):
    cost = results["broker_cost"]
    idle = results["idle_rss_mib"]
    recovery = results["recovery"]
    lines = heading("5. Broker cost",
                    "CPU = utime + stime of the broker process over all of case 3, per million messages produced plus "
                    "consumed. Peak RSS = VmHWM, reset (`clear_refs`) before case 3. Idle RSS = VmRSS 2 s after start, "
                    "no client yet.", ["", "Samsa", "Tansu", "Samsa/Tansu"])
    samsa, tansu = cost["samsa"], cost["tansu"]
    lines.append(f"| CPU seconds per million messages | {samsa['cpu_seconds_per_million']:.2f} | {tansu['cpu_seconds_per_million']:.2f} | "
                 f"{ratio(samsa['cpu_seconds_per_million'], tansu['cpu_seconds_per_million']):.2f} |")
    lines.append(f"| peak RSS during case 3, MiB | {samsa['peak_rss_mib']:.1f} | {tansu['peak_rss_mib']:.1f} | "
                 f"{ratio(samsa['peak_rss_mib'], tansu['peak_rss_mib']):.2f} |")
    lines.append(f"| idle RSS, MiB (console off) | {idle['samsa, console off']:.1f} | {idle['tansu']:.1f} | "
                 f"{ratio(idle['samsa, console off'], idle['tansu']):.2f} |")
    lines.append(f"| idle RSS, MiB (metrics/console listener on) | {idle['samsa, console on']:.1f} | | |")
    lines += ["", "### 6. Recovery and the console", "",
              f"Recovery after SIGKILL: {recovery['log_bytes'] / 2**20:.0f} MiB of log (1 KiB records, 16 KiB batches, acks=1), "
              f"process start to listening {recovery['restart_seconds']:.2f} s, against {recovery['empty_start_seconds']:.2f} s "
              f"on an empty folder: **{recovery['seconds_per_gib']:.2f} s per GiB** re-validated (one run). "
              "`make crash-test-long` measures 1 GiB (see Reliability).", "",
              "Console render time with 1,000 topics is not run by `make bench` (it needs a release build of the benchmark "
              "package, longer than this command's budget): `cd Benchmarks && swift package --disable-sandbox benchmark "
              "--target SamsaConsoleBenchmarks` reports its p95 (target < 200 ms)."]
    return lines


def replace_section(path, section):
    """Puts `section` between the markers of `path`, or appends it when the markers are absent."""
    text = open(path).read() if os.path.exists(path) else "# Results\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + section.rstrip("\n") + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as output:
        output.write(text)
