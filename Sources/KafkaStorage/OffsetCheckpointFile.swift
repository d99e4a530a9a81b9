import NIOCore

/// Kafka's offset checkpoint text format (`OffsetCheckpointFile`), used for the data folder's
/// `recovery-point-offset-checkpoint`: a version line (0), a count line, then one
/// `topic partition offset` line per partition.
enum OffsetCheckpointFile {
    static func encode(_ offsets: [TopicPartition: Int64]) -> [UInt8] {
        var text = "0\n\(offsets.count)\n"
        for (topicPartition, offset) in offsets.sorted(by: { $0.key.description < $1.key.description }) {
            text += "\(topicPartition.topic) \(topicPartition.partition) \(offset)\n"
        }
        return Array(text.utf8)
    }

    /// The offsets in `bytes`, or nil when they do not follow the format (the caller then treats
    /// every partition as unflushed).
    static func decode(_ bytes: ByteBuffer) -> [TopicPartition: Int64]? {
        let lines = String(buffer: bytes).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == "0", let count = Int(lines[1]), lines.count >= count + 2 else { return nil }
        var offsets: [TopicPartition: Int64] = [:]
        for line in lines[2..<(count + 2)] {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let partition = Int32(fields[1]), let offset = Int64(fields[2]) else { return nil }
            offsets[TopicPartition(topic: String(fields[0]), partition: partition)] = offset
        }
        return offsets
    }
}
