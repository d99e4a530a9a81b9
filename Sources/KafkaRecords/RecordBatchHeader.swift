import NIOCore

/// The fixed 61-byte header of a RecordBatch v2 (magic 2), in wire order.
public struct RecordBatchHeader: Hashable, Sendable {
    /// Offset of the first record; producers send 0 and the broker rewrites it on append.
    public var baseOffset: Int64
    /// Bytes after this field to the end of the batch.
    public var batchLength: Int32
    /// Set by the broker on append, like `baseOffset`; not covered by the CRC.
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    /// CRC-32C of the bytes from `attributes` to the end of the batch.
    public var crc: UInt32
    public var attributes: RecordBatchAttributes
    public var lastOffsetDelta: Int32
    /// The first record's timestamp; record timestamps are deltas from it.
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    public init(
        baseOffset: Int64, batchLength: Int32, partitionLeaderEpoch: Int32, magic: Int8 = 2, crc: UInt32,
        attributes: RecordBatchAttributes, lastOffsetDelta: Int32, baseTimestamp: Int64, maxTimestamp: Int64,
        producerId: Int64, producerEpoch: Int16, baseSequence: Int32, recordCount: Int32
    ) {
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordCount = recordCount
    }

    /// The whole batch's size: the offset and length fields plus `batchLength`.
    public var totalSize: Int { Self.logOverhead + Int(batchLength) }

    /// Wraps around, as `Record.offset(in:)`, for a header from the wire; the log checks that
    /// the offsets of a batch it stores or recovers fit.
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }

    /// The offset the batch after this one starts at.
    public var nextOffset: Int64 { lastOffset &+ 1 }
}
