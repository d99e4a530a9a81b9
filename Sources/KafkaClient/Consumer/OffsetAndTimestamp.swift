/// An offset found by timestamp, kafka-python's `OffsetAndTimestamp`.
public struct OffsetAndTimestamp: Hashable, Sendable {
    /// The offset of the first record at or after the timestamp asked for.
    public var offset: Int64
    /// The timestamp of the record at `offset`.
    public var timestamp: Int64
}
