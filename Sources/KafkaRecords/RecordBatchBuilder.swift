import NIOCore

/// Encodes records into one complete RecordBatch v2 (header, optional compression, CRC-32C),
/// the way a producer does: offsets are consecutive from `baseOffset`, the base timestamp is the
/// first record's.
public struct RecordBatchBuilder: Sendable {
    public var compression: CompressionCodec
    /// Producers write 0; the broker assigns the real one.
    public var baseOffset: Int64
    /// Producers write -1 (Java) or 0 (kafka-python); the broker overwrites it.
    public var partitionLeaderEpoch: Int32
    /// -1 (no idempotence) unless the producer has an id from InitProducerId.
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    /// Part of a transaction: read_committed consumers see it only once a commit marker follows.
    public var isTransactional = false
    /// Holds a transaction marker rather than user records (written by brokers only).
    public var isControl = false

    public private(set) var recordCount: Int32 = 0
    private var baseTimestamp: Int64?
    private var maxTimestamp: Int64 = Self.noTimestamp
    /// The header's space, then the uncompressed records: with no compression this buffer
    /// becomes the batch without a copy.
    private var batch: ByteBuffer
    private let codecs: CompressionCodecRegistry
    private let allocator: ByteBufferAllocator

    /// Kafka's RecordBatch.NO_TIMESTAMP, written for a batch without records.
    private static let noTimestamp: Int64 = -1

    public init(
        compression: CompressionCodec = .none,
        baseOffset: Int64 = 0,
        partitionLeaderEpoch: Int32 = -1,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        codecs: CompressionCodecRegistry = .builtIn,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        self.compression = compression
        self.baseOffset = baseOffset
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.codecs = codecs
        self.allocator = allocator
        self.batch = allocator.buffer(capacity: RecordBatchHeader.size)
        self.batch.writeRepeatingByte(0, count: RecordBatchHeader.size)
    }

    /// The batch's size so far without compression: what a producer compares with batch.size.
    public var uncompressedSizeInBytes: Int { batch.readableBytes }

    /// Appends a record at the next offset.
    public mutating func append(timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = []) {
        let baseTimestamp = self.baseTimestamp ?? timestamp
        self.baseTimestamp = baseTimestamp
        maxTimestamp = max(maxTimestamp, timestamp)
        // Wraps as `Record.timestamp(in:)` does, so a recompressed batch from the wire keeps its
        // records' deltas exactly, even those whose timestamps wrapped around.
        let record = Record(
            timestampDelta: timestamp &- baseTimestamp, offsetDelta: recordCount,
            key: key, value: value, headers: headers)
        record.write(to: &batch)
        recordCount += 1
    }

    /// The finished batch, compressed with `compression`. Consuming, so that without compression
    /// the header is written into the records' buffer in place rather than into a copy.
    public consuming func build() throws(RecordBatchError) -> ByteBuffer {
        if compression != .none {
            var records = batch
            records.moveReaderIndex(forwardBy: RecordBatchHeader.size)
            let compressed = try codecs.compressor(for: compression).compress(records, allocator: allocator)
            batch = allocator.buffer(capacity: RecordBatchHeader.size + compressed.readableBytes)
            batch.writeRepeatingByte(0, count: RecordBatchHeader.size)
            batch.writeImmutableBuffer(compressed)
        }
        var header = RecordBatchHeader(
            baseOffset: baseOffset,
            batchLength: Int32(batch.readableBytes - RecordBatchHeader.logOverhead),
            partitionLeaderEpoch: partitionLeaderEpoch,
            crc: 0,
            attributes: RecordBatchAttributes(
                compression: compression, isTransactional: isTransactional, isControl: isControl),
            lastOffsetDelta: max(recordCount - 1, 0),
            baseTimestamp: baseTimestamp ?? Self.noTimestamp,
            maxTimestamp: maxTimestamp,
            producerId: producerId,
            producerEpoch: producerEpoch,
            baseSequence: baseSequence,
            recordCount: recordCount)
        header.set(in: &batch, at: batch.readerIndex)
        header.crc = batch.withUnsafeReadableBytes { bytes in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[RecordBatchHeader.attributesIndex...]))
        }
        batch.setInteger(header.crc, at: batch.readerIndex + RecordBatchHeader.crcIndex)
        return batch
    }
}
