/// An offset found by timestamp, kafka-python's `OffsetAndTimestamp`.
public struct OffsetAndTimestamp: Hashable, Sendable {
    public var offset: Int64
    /// The timestamp of the record at `offset`.
    public var timestamp: Int64
}
