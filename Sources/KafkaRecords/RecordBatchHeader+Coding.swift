import NIOCore

extension RecordBatchHeader {
    /// Parses the header at the reader index of `buffer` without moving it, so the records stay in
    /// place. Checks the magic byte and that `batchLength` can hold a header; the CRC and the
    /// presence of the whole batch are `RecordBatch`'s business.
    public init(parsing buffer: ByteBuffer) throws(RecordBatchError) {
        let start = buffer.readerIndex
        let baseOffset = buffer.getInteger(at: start, as: Int64.self)
        // The magic decides how the rest reads, so check it before asking for 61 bytes: a legacy
        // message can be shorter than a v2 header.
        if let magic = buffer.getInteger(at: start + Self.magicIndex, as: Int8.self), magic != 2 {
            throw RecordBatchError(
                .unsupportedMagic, "magic \(magic) where a v2 record batch was expected", batchOffset: baseOffset)
        }
        guard buffer.readableBytes >= Self.size else {
            throw RecordBatchError(
                .truncated, "\(buffer.readableBytes) bytes, a record batch header takes \(Self.size)",
                batchOffset: baseOffset)
        }
        self = buffer.withUnsafeReadableBytes { bytes in
            func field<Field: FixedWidthInteger>(_ index: Int, _: Field.Type = Field.self) -> Field {
                Field(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: Field.self))
            }
            return RecordBatchHeader(
                baseOffset: field(Self.baseOffsetIndex),
                batchLength: field(Self.batchLengthIndex),
                partitionLeaderEpoch: field(Self.partitionLeaderEpochIndex),
                magic: field(Self.magicIndex),
                crc: field(Self.crcIndex),
                attributes: RecordBatchAttributes(rawValue: field(Self.attributesIndex)),
                lastOffsetDelta: field(Self.lastOffsetDeltaIndex),
                baseTimestamp: field(Self.baseTimestampIndex),
                maxTimestamp: field(Self.maxTimestampIndex),
                producerId: field(Self.producerIdIndex),
                producerEpoch: field(Self.producerEpochIndex),
                baseSequence: field(Self.baseSequenceIndex),
                recordCount: field(Self.recordCountIndex))
        }
        guard batchLength >= Self.size - Self.logOverhead else {
            throw RecordBatchError(
                .corruptMessage, "batch length \(batchLength) is shorter than a record batch header",
                batchOffset: baseOffset)
        }
    }

    /// Writes the 61 header bytes at `index` of `buffer`, which must already hold them.
    func set(in buffer: inout ByteBuffer, at index: Int) {
        buffer.setInteger(baseOffset, at: index + Self.baseOffsetIndex)
        buffer.setInteger(batchLength, at: index + Self.batchLengthIndex)
        buffer.setInteger(partitionLeaderEpoch, at: index + Self.partitionLeaderEpochIndex)
        buffer.setInteger(magic, at: index + Self.magicIndex)
        buffer.setInteger(crc, at: index + Self.crcIndex)
        buffer.setInteger(attributes.rawValue, at: index + Self.attributesIndex)
        buffer.setInteger(lastOffsetDelta, at: index + Self.lastOffsetDeltaIndex)
        buffer.setInteger(baseTimestamp, at: index + Self.baseTimestampIndex)
        buffer.setInteger(maxTimestamp, at: index + Self.maxTimestampIndex)
        buffer.setInteger(producerId, at: index + Self.producerIdIndex)
        buffer.setInteger(producerEpoch, at: index + Self.producerEpochIndex)
        buffer.setInteger(baseSequence, at: index + Self.baseSequenceIndex)
        buffer.setInteger(recordCount, at: index + Self.recordCountIndex)
    }
}
