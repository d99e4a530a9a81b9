import NIOCore

/// Kafka's `partition.metadata`: which topic id a partition folder belongs to, so a folder left
/// from a deleted topic is not mistaken for a new topic of the same name.
enum PartitionMetadataFile {
    static func encode(topicId: String) -> [UInt8] {
        Array("version: 0\ntopic_id: \(topicId)\n".utf8)
    }

    /// The topic id, or nil when the file is not version 0 of the format.
    static func decode(_ bytes: ByteBuffer) -> String? {
        let lines = String(buffer: bytes).split(separator: "\n")
        guard lines.count >= 2, lines[0] == "version: 0", lines[1].hasPrefix("topic_id: ") else { return nil }
        return String(lines[1].dropFirst("topic_id: ".count))
    }
}
