import KafkaBroker
import KafkaRecords

/// One topic: its partitions' offsets and sizes, and its newest records.
struct TopicPage {
    var topic: TopicOverview
    var records: [TopicRecord]

    func render() -> String {
        let partitionRows = topic.partitions.map { partition in
            """
            <tr><td class="number">\(partition.partition)</td>\
            <td class="number">\(DisplayFormat.count(partition.logStartOffset))</td>\
            <td class="number">\(DisplayFormat.count(partition.highWatermark))</td>\
            <td class="number">\(DisplayFormat.count(partition.messageCount))</td>\
            <td class="number">\(DisplayFormat.bytes(partition.sizeInBytes))</td>\
            <td class="number">\(partition.segmentCount)</td></tr>
            """
        }
        let recordRows = records.map { entry in
            let record = entry.record
            let headers = record.headers.map { header in
                "<div>\(HTMLText.escape(header.key)): \(RecordBytesText.html(header.value))</div>"
            }.joined()
            return """
                <tr><td class="number">\(entry.partition)</td><td class="number">\(record.offset)</td>\
                <td>\(DisplayFormat.timestamp(ms: record.timestamp))</td>\
                <td>\(RecordBytesText.html(record.key))</td><td>\(RecordBytesText.html(record.value))</td><td>\(headers)</td></tr>
                """
        }
        let recordsHTML =
            records.isEmpty
            ? #"<p class="muted">No records.</p>"#
            : """
            <table id="records">
            <thead><tr><th class="number">Partition</th><th class="number">Offset</th><th>Timestamp</th><th>Key</th><th>Value</th><th>Headers</th></tr></thead>
            <tbody>
            \(recordRows.joined(separator: "\n"))
            </tbody>
            </table>
            """
        let retentionBytes = topic.retentionBytes >= 0 ? DisplayFormat.bytes(topic.retentionBytes) : "no limit"
        return ConsoleLayout.page(
            title: "Topic \(topic.name)", section: .topics,
            body: """
                <div class="cards">
                <div class="card"><div class="label">Partitions</div><div class="value" id="partition-count">\(topic.partitions.count)</div></div>
                <div class="card"><div class="label">Messages</div><div class="value">\(DisplayFormat.count(topic.messageCount))</div></div>
                <div class="card"><div class="label">Size</div><div class="value">\(DisplayFormat.bytes(topic.sizeInBytes))</div></div>
                <div class="card"><div class="label">Cleanup policy</div><div class="value">\(HTMLText.escape(topic.cleanupPolicy))</div></div>
                <div class="card"><div class="label">Retention</div><div class="value">\(DisplayFormat.retention(ms: topic.retentionMs)), \(retentionBytes) per partition</div></div>
                <div class="card"><div class="label">Topic id</div><div class="value">\(HTMLText.escape(topic.topicId))</div></div>
                </div>
                <h2>Partitions</h2>
                <table id="partitions">
                <thead><tr><th class="number">Partition</th><th class="number">Log start</th><th class="number">High watermark</th><th class="number">Messages</th><th class="number">Size</th><th class="number">Segments</th></tr></thead>
                <tbody>
                \(partitionRows.joined(separator: "\n"))
                </tbody>
                </table>
                <h2>Latest \(records.count) records</h2>
                \(recordsHTML)
                """)
    }
}
