import NIOCore

/// A record with its absolute offset and timestamp, whichever message format it came in
/// (RecordBatch v2 or a legacy v0/v1 message): what a consumer hands to the application.
public struct DecodedRecord: Hashable, Sendable {
    public var offset: Int64
    /// Milliseconds since the epoch; -1 for magic 0 messages, which have none.
    public var timestamp: Int64
    public var timestampType: TimestampType
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    /// Always empty for legacy messages, which cannot carry headers.
    public var headers: [RecordHeader]

    public init(
        offset: Int64, timestamp: Int64, timestampType: TimestampType,
        key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = []
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
    }
}
