/// A topic with its partitions and the settings that decide how long its data stays.
public struct TopicOverview: Sendable, Equatable {
    public var name: String
    public var topicId: String
    /// `__consumer_offsets`, which the broker writes itself.
    public var isInternal: Bool
    /// Ordered by partition number.
    public var partitions: [PartitionOverview]
    /// `retention.ms`; -1 keeps data forever.
    public var retentionMs: Int64
    /// `retention.bytes` per partition; -1 means no size limit.
    public var retentionBytes: Int64
    /// `cleanup.policy` as Kafka spells it (`delete`, `compact` or `delete,compact`).
    public var cleanupPolicy: String

    public init(
        name: String, topicId: String, isInternal: Bool, partitions: [PartitionOverview], retentionMs: Int64,
        retentionBytes: Int64, cleanupPolicy: String
    ) {
        self.name = name
        self.topicId = topicId
        self.isInternal = isInternal
        self.partitions = partitions
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.cleanupPolicy = cleanupPolicy
    }

    public var messageCount: Int64 { partitions.reduce(0) { $0 + $1.messageCount } }

    public var sizeInBytes: Int64 { partitions.reduce(0) { $0 + $1.sizeInBytes } }

    /// The sum of the partitions' high watermarks: it grows by exactly the number of records
    /// appended, so two readings give the topic's message rate.
    public var appendedMessageCount: Int64 { partitions.reduce(0) { $0 + $1.highWatermark } }
}
