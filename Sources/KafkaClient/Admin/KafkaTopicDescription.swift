import KafkaProtocol

/// A topic as Metadata describes it (kafka-python's `describe_topics` entries).
public struct KafkaTopicDescription: Hashable, Sendable {
    public struct Partition: Hashable, Sendable {
        public var partition: Int32
        /// -1 when the partition has no leader.
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
    }

    public var name: String
    /// The topic's id (Metadata v10+); `.zero` when the broker does not report one.
    public var topicId: KafkaUUID
    public var isInternal: Bool
    /// Sorted by partition id.
    public var partitions: [Partition]
}
