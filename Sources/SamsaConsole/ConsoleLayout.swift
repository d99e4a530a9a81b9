/// The frame around every console page: head, style sheet, navigation, and a refresh every few
/// seconds (a meta refresh: the pages work without any script).
enum ConsoleLayout {
    static let refreshSeconds = 5

    static func page(title: String, section: ConsoleSection?, refreshes: Bool = true, body: String) -> String {
        let navigation = ConsoleSection.allCases.map { item in
            let current = item == section ? #" aria-current="page""# : ""
            return #"<a href="\#(item.path)"\#(current)>\#(item.title)</a>"#
        }.joined()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(refreshes ? #"<meta http-equiv="refresh" content="\#(refreshSeconds)">"# : "")
            <title>\(HTMLText.escape(title)) · Samsa</title>
            <style>\(styleSheet)</style>
            </head>
            <body>
            <header><span class="brand">Samsa</span><nav>\(navigation)<a href="/metrics">Metrics</a></nav></header>
            <main>
            <h1>\(HTMLText.escape(title))</h1>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    private static let styleSheet = """
        :root{--ink:#1d2330;--muted:#6b7385;--line:#e3e6ec;--accent:#3563d9;--in:#3563d9;--out:#1c9a6c;--warn:#b5530c}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f7f9}
        header{display:flex;gap:24px;align-items:center;padding:10px 24px;background:#1d2330;color:#fff}
        .brand{font-weight:700;letter-spacing:.04em}
        nav a{color:#c9d2e6;text-decoration:none;margin-right:16px}
        nav a[aria-current]{color:#fff;border-bottom:2px solid #fff}
        main{padding:8px 24px 32px;max-width:1200px}
        h1{font-size:20px;margin:16px 0}
        h2{font-size:16px;margin:24px 0 8px}
        a{color:var(--accent)}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
        th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-weight:600;color:var(--muted);background:#fafbfc}
        td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
        .card{background:#fff;border:1px solid var(--line);padding:10px 14px}
        .card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
        .card .value{font-size:16px;overflow-wrap:anywhere}
        .muted{color:var(--muted)}
        .hex{font-family:ui-monospace,Menlo,monospace;font-size:12px}
        .lag{color:var(--warn);font-weight:600}
        .state{display:inline-block;padding:0 6px;border-radius:3px;background:#e8ecf6}
        .chart{width:100%;max-width:720px;height:auto;background:#fff;border:1px solid var(--line)}
        .chart polyline{fill:none;stroke-width:2}
        .chart polyline.in{stroke:var(--in)}
        .chart polyline.out{stroke:var(--out)}
        .chart .axis{stroke:var(--line)}
        .chart text{font-size:11px;fill:var(--muted)}
        .legend .swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
        .swatch.in{background:var(--in)}
        .swatch.out{background:var(--out)}
        """
}
