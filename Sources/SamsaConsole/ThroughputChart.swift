/// The overview's chart of bytes in and out per second: an inline SVG, so the page needs no
/// script and no second request. The newest point sits at the right edge; the chart fills
/// leftwards as readings accumulate.
struct ThroughputChart {
    var points: [ThroughputPoint]
    /// How many points fit across.
    var capacity: Int
    /// What the full width spans, for the axis label.
    var span: Duration

    private static let width = 720.0
    private static let height = 160.0
    /// Room for the axis labels.
    private static let left = 70.0
    private static let bottom = 20.0

    func render() -> String {
        let (width, height, left, bottom) = (Self.width, Self.height, Self.left, Self.bottom)
        guard points.count >= 1 else {
            return #"<p class="muted">Collecting readings; the chart appears after the first few seconds.</p>"#
        }
        let top = max(1024, points.map { max($0.bytesInPerSecond, $0.bytesOutPerSecond) }.max() ?? 0) * 1.1
        let plotHeight = height - bottom
        func polyline(_ value: (ThroughputPoint) -> Double, _ cssClass: String) -> String {
            let step = (width - left) / Double(max(1, capacity - 1))
            let coordinates = points.enumerated().map { index, point in
                let x = width - Double(points.count - 1 - index) * step
                let y = plotHeight - value(point) / top * plotHeight
                return "\(rounded(x)),\(rounded(y))"
            }
            return #"<polyline class="\#(cssClass)" points="\#(coordinates.joined(separator: " "))"/>"#
        }
        return """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Throughput in and out">
            <line class="axis" x1="\(Int(left))" y1="\(Int(plotHeight))" x2="\(Int(width))" y2="\(Int(plotHeight))"/>
            <line class="axis" x1="\(Int(left))" y1="0" x2="\(Int(left))" y2="\(Int(plotHeight))"/>
            <text x="\(Int(left) - 6)" y="12" text-anchor="end">\(DisplayFormat.bytes(Int64(top)))/s</text>
            <text x="\(Int(left) - 6)" y="\(Int(plotHeight))" text-anchor="end">0</text>
            <text x="\(Int(left))" y="\(Int(height) - 4)">−\(DisplayFormat.duration(span))</text>
            <text x="\(Int(width))" y="\(Int(height) - 4)" text-anchor="end">now</text>
            \(polyline(\.bytesInPerSecond, "in"))
            \(polyline(\.bytesOutPerSecond, "out"))
            </svg>
            <p class="legend"><span class="swatch in"></span> in (produced) \(DisplayFormat.bytes(Int64(points.last?.bytesInPerSecond ?? 0)))/s
            <span class="swatch out"></span> out (fetched) \(DisplayFormat.bytes(Int64(points.last?.bytesOutPerSecond ?? 0)))/s</p>
            """
    }

    private func rounded(_ value: Double) -> String {
        String(Double(Int((value * 10).rounded())) / 10)
    }
}
