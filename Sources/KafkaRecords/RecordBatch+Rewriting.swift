import NIOCore

extension RecordBatch {
    /// A batch of `records` under `header`, for log compaction rewriting a stored batch without
    /// some of its records. The records keep their offset and timestamp deltas, so their offsets
    /// and timestamps stay; the batch keeps its base offset, offset range (lastOffsetDelta, hence
    /// its producer's sequence range), base timestamp, producer fields and attributes, compression
    /// included. Recomputed: batchLength, recordCount, the CRC-32C and, with CreateTime, the
    /// maxTimestamp (the largest kept record's; unchanged when no record is kept).
    public init(
        rewriting header: RecordBatchHeader,
        keeping records: [Record],
        codecs: CompressionCodecRegistry = .builtIn,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(RecordBatchError) {
        var recordBytes = allocator.buffer(capacity: 0)
        for record in records { record.write(to: &recordBytes) }
        let codec = header.attributes.compression
        if codec != .none {
            recordBytes = try codecs.compressor(for: codec).compress(recordBytes, allocator: allocator)
        }
        var bytes = allocator.buffer(capacity: RecordBatchHeader.size + recordBytes.readableBytes)
        bytes.writeRepeatingByte(0, count: RecordBatchHeader.size)
        bytes.writeImmutableBuffer(recordBytes)

        var rewritten = header
        rewritten.batchLength = Int32(bytes.readableBytes - RecordBatchHeader.logOverhead)
        rewritten.recordCount = Int32(records.count)
        if header.attributes.timestampType == .createTime, let latest = records.map(\.timestampDelta).max() {
            rewritten.maxTimestamp = header.baseTimestamp &+ latest
        }
        rewritten.crc = 0
        rewritten.set(in: &bytes, at: bytes.readerIndex)
        rewritten.crc = bytes.withUnsafeReadableBytes { batch in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.attributesIndex...]))
        }
        bytes.setInteger(rewritten.crc, at: bytes.readerIndex + RecordBatchHeader.crcIndex)
        try self.init(bytes, verifyingChecksum: false)
    }
}
