/// A committed offset, kafka-python's `OffsetAndMetadata(offset, metadata, leader_epoch)`: the
/// offset of the next record to consume, with an optional note stored alongside it.
public struct OffsetAndMetadata: Hashable, Sendable {
    /// The offset of the next record to consume.
    public var offset: Int64
    /// A note stored with the offset (kafka-python's `metadata`), empty by default.
    public var metadata: String
    /// -1 when unknown.
    public var leaderEpoch: Int32

    public init(offset: Int64, metadata: String = "", leaderEpoch: Int32 = -1) {
        self.offset = offset
        self.metadata = metadata
        self.leaderEpoch = leaderEpoch
    }
}
