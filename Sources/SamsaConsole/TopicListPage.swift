import KafkaBroker

/// Every topic with its size, retention and message rate.
struct TopicListPage {
    var topics: [TopicOverview]
    var messagesPerSecond: (String) -> Double?

    func render() -> String {
        let rows = topics.map { topic in
            let name = HTMLText.escape(topic.name)
            let rate = messagesPerSecond(topic.name).map(DisplayFormat.rate) ?? "–"
            let retentionBytes = topic.retentionBytes >= 0 ? " or \(DisplayFormat.bytes(topic.retentionBytes))" : ""
            return """
                <tr data-topic="\(name)"><td><a href="/topics/\(PercentEncoding.encodePathSegment(topic.name))">\(name)</a>\(topic.isInternal ? #" <span class="muted">internal</span>"# : "")</td>\
                <td class="number partitions">\(topic.partitions.count)</td>\
                <td class="number">\(DisplayFormat.count(topic.messageCount))</td>\
                <td class="number">\(DisplayFormat.bytes(topic.sizeInBytes))</td>\
                <td>\(HTMLText.escape(topic.cleanupPolicy)): \(DisplayFormat.retention(ms: topic.retentionMs))\(retentionBytes)</td>\
                <td class="number">\(rate)</td></tr>
                """
        }
        let table =
            topics.isEmpty
            ? #"<p class="muted">No topics yet.</p>"#
            : """
            <table id="topics">
            <thead><tr><th>Topic</th><th class="number">Partitions</th><th class="number">Messages</th><th class="number">Size</th><th>Retention</th><th class="number">Messages/s</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            """
        return ConsoleLayout.page(title: "Topics", section: .topics, body: table)
    }
}
