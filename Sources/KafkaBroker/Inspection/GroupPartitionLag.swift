/// A consumer group's committed offset on one partition and how far it trails the partition.
public struct GroupPartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var committedOffset: Int64
    /// The partition's high watermark; nil when the partition no longer exists.
    public var highWatermark: Int64?
    /// The metadata string the consumer committed with the offset.
    public var metadata: String?

    public init(topic: String, partition: Int32, committedOffset: Int64, highWatermark: Int64?, metadata: String?) {
        self.topic = topic
        self.partition = partition
        self.committedOffset = committedOffset
        self.highWatermark = highWatermark
        self.metadata = metadata
    }

    /// Records the group has yet to consume, as kafka-consumer-groups.sh computes it; nil when
    /// the partition no longer exists.
    public var lag: Int64? { highWatermark.map { max(0, $0 - committedOffset) } }
}
