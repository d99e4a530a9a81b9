import KafkaProtocol

/// A topic as Metadata describes it (kafka-python's `describe_topics` entries).
public struct KafkaTopicDescription: Hashable, Sendable {
    /// One partition of the topic and where its replicas are.
    public struct Partition: Hashable, Sendable {
        /// The partition id.
        public var partition: Int32
        /// -1 when the partition has no leader.
        public var leader: Int32
        /// The broker ids holding a replica, the preferred leader first.
        public var replicas: [Int32]
        /// The replicas caught up with the leader.
        public var inSyncReplicas: [Int32]
    }

    /// The topic's name.
    public var name: String
    /// The topic's id (Metadata v10+); `.zero` when the broker does not report one.
    public var topicId: KafkaUUID
    /// Whether the topic is one of Kafka's own (`__consumer_offsets`, `__transaction_state`).
    public var isInternal: Bool
    /// Sorted by partition id.
    public var partitions: [Partition]
}
