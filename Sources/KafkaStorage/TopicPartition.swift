/// One partition of a topic: the unit that owns a log. Its description is Kafka's folder name
/// for the partition, `topic-partition`.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)-\(partition)" }

    /// Parses a partition folder name. Topic names may themselves contain '-', so the partition
    /// number is whatever follows the last one.
    public init?(folderName: String) {
        guard let dash = folderName.lastIndex(of: "-"), dash != folderName.startIndex,
            let partition = Int32(folderName[folderName.index(after: dash)...]), partition >= 0
        else { return nil }
        self.init(topic: String(folderName[..<dash]), partition: partition)
    }
}
