import NIOCore

/// One record of a RecordBatch v2 as encoded: offset and timestamp are deltas from the batch's
/// base. Keys, values and header values decoded from a batch are slices of the batch (or of its
/// decompressed records), not copies.
public struct Record: Hashable, Sendable {
    /// Unused by Kafka so far; kept as read.
    public var attributes: Int8
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [RecordHeader]

    public init(
        attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32,
        key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = []
    ) {
        self.attributes = attributes
        self.timestampDelta = timestampDelta
        self.offsetDelta = offsetDelta
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The record's offset in the partition. Wraps around as Kafka's Java arithmetic does: a
    /// client's or a corrupt batch's base offset near Int64.max must not trap.
    public func offset(in batch: RecordBatchHeader) -> Int64 {
        batch.baseOffset &+ Int64(offsetDelta)
    }

    /// The record's timestamp: with LogAppendTime the broker's append time (the batch's
    /// maxTimestamp) replaces every record's own, as in Kafka's DefaultRecordBatch. Wraps around
    /// like the offset: base timestamp and delta both come from the wire.
    public func timestamp(in batch: RecordBatchHeader) -> Int64 {
        batch.attributes.timestampType == .logAppendTime ? batch.maxTimestamp : batch.baseTimestamp &+ timestampDelta
    }
}
