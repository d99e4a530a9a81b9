import NIOCore

/// One RecordBatch v2 as it travels and is stored: the parsed header over the untouched wire
/// bytes. The broker validates and stores this form; records are decoded only on request.
public struct RecordBatch: Sendable {
    public private(set) var header: RecordBatchHeader
    /// The whole batch, header included: `header.totalSize` bytes.
    public private(set) var bytes: ByteBuffer

    /// Takes `bytes` as exactly one batch: parses the header, checks that `batchLength` matches the
    /// byte count and, unless `verifyingChecksum` is false, that the CRC-32C matches.
    public init(_ bytes: ByteBuffer, verifyingChecksum: Bool = true) throws(RecordBatchError) {
        let header = try RecordBatchHeader(parsing: bytes)
        guard bytes.readableBytes >= header.totalSize else {
            throw RecordBatchError(
                .truncated, "batch length says \(header.totalSize) bytes, \(bytes.readableBytes) present",
                batchOffset: header.baseOffset)
        }
        guard bytes.readableBytes == header.totalSize else {
            throw RecordBatchError(
                .corruptMessage, "batch length says \(header.totalSize) bytes, \(bytes.readableBytes) given",
                batchOffset: header.baseOffset)
        }
        self.header = header
        self.bytes = bytes
        if verifyingChecksum {
            let computed = computedChecksum
            guard computed == header.crc else {
                throw RecordBatchError(
                    .corruptMessage,
                    "CRC-32C is \(hex(computed)), the batch says \(hex(header.crc))",
                    batchOffset: header.baseOffset)
            }
        }
    }

    /// The CRC-32C of the bytes the header's `crc` covers (attributes to the end).
    public var computedChecksum: UInt32 {
        bytes.withUnsafeReadableBytes { batch in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: batch[RecordBatchHeader.attributesIndex...]))
        }
    }

    /// Rewrites the base offset in the header and the bytes (see `setRecordBatchBaseOffset`).
    public mutating func setBaseOffset(_ baseOffset: Int64) {
        bytes.setRecordBatchBaseOffset(baseOffset, batchAt: bytes.readerIndex)
        header.baseOffset = baseOffset
    }

    /// Rewrites the partition leader epoch in the header and the bytes.
    public mutating func setPartitionLeaderEpoch(_ epoch: Int32) {
        bytes.setRecordBatchPartitionLeaderEpoch(epoch, batchAt: bytes.readerIndex)
        header.partitionLeaderEpoch = epoch
    }
}

private func hex(_ value: UInt32) -> String {
    "0x" + String(value, radix: 16)
}
