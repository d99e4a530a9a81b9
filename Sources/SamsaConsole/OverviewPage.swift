import KafkaBroker

/// The broker at a glance: who it is, where it listens and keeps its data, and its throughput.
struct OverviewPage {
    var overview: BrokerOverview
    var consoleAddress: String
    var disk: DiskSpace?
    var groupCount: Int
    var chart: ThroughputChart

    func render() -> String {
        let diskText =
            disk.map { "\(DisplayFormat.bytes($0.availableBytes)) free of \(DisplayFormat.bytes($0.totalBytes))" } ?? "unknown"
        let cards: [(String, String)] = [
            ("Broker id", "\(overview.nodeId)"),
            ("Cluster id", HTMLText.escape(overview.clusterId)),
            ("Version", "Samsa \(HTMLText.escape(overview.version))"),
            ("Uptime", DisplayFormat.duration(overview.uptime)),
            ("Kafka listeners", HTMLText.escape(overview.listeners.map(\.description).joined(separator: ", "))),
            ("Advertised", HTMLText.escape(overview.advertisedListeners.map(\.description).joined(separator: ", "))),
            ("Console and metrics", HTMLText.escape(consoleAddress)),
            ("Data folder", HTMLText.escape(overview.dataDirectory)),
            ("Log data", DisplayFormat.bytes(overview.logSizeInBytes)),
            ("Disk", diskText),
            ("Topics", #"<a href="/topics">\#(overview.topicCount)</a> (\#(overview.partitionCount) partitions)"#),
            ("Consumer groups", #"<a href="/groups">\#(groupCount)</a>"#),
            ("Connections", "\(overview.activeConnections)"),
            (
                "Log loading",
                "\(DisplayFormat.milliseconds(overview.recoveryDuration)) \(overview.hadCleanShutdown ? "(clean start)" : "(with recovery)")"
            ),
        ]
        let cardsHTML = cards.map { label, value in
            #"<div class="card"><div class="label">\#(label)</div><div class="value">\#(value)</div></div>"#
        }.joined(separator: "\n")
        return ConsoleLayout.page(
            title: "Overview", section: .overview,
            body: """
                <div class="cards" id="broker">\(cardsHTML)</div>
                <h2>Throughput</h2>
                \(chart.render())
                """)
    }
}
