import NIOCore

/// One legacy message (magic 0 or 1) with its log-entry prefix:
/// `offset i64, size i32, crc u32 (CRC-32 over magic..end), magic i8, attributes i8,
/// [timestamp i64 if magic 1], key (i32 length, -1 = null), value (the same)`.
/// A compressed message is a wrapper whose value holds a compressed inner message set. Only
/// read: Samsa never writes these formats.
public struct LegacyMessage: Sendable {
    public let offset: Int64
    public let crc: UInt32
    public let magic: Int8
    public let attributes: Int8
    /// -1 for magic 0, which has no timestamp.
    public let timestamp: Int64
    public let key: ByteBuffer?
    public let value: ByteBuffer?

    /// Takes `bytes` as exactly one message, checking the framing, the magic and, unless
    /// `verifyingChecksum` is false, the CRC-32.
    public init(_ bytes: ByteBuffer, verifyingChecksum: Bool = true) throws(RecordBatchError) {
        var reader = bytes
        guard let offset = reader.readInteger(as: Int64.self), let size = reader.readInteger(as: Int32.self) else {
            throw RecordBatchError(.truncated, "\(bytes.readableBytes) bytes, a message's offset and size take 12")
        }
        guard size >= ByteBuffer.minimumLogEntrySizeField else {
            throw RecordBatchError(.corruptMessage, "message size \(size) is below the minimum", batchOffset: offset)
        }
        guard reader.readableBytes == Int(size) else {
            throw RecordBatchError(
                reader.readableBytes < Int(size) ? .truncated : .corruptMessage,
                "message size says \(size) bytes, \(reader.readableBytes) given", batchOffset: offset)
        }
        // size >= 14 guarantees the crc, magic and attributes are there.
        let crc = reader.readInteger(as: UInt32.self) ?? 0
        let checksummed = reader
        let magic = reader.readInteger(as: Int8.self) ?? -1
        let attributes = reader.readInteger(as: Int8.self) ?? 0
        guard magic == 0 || magic == 1 else {
            throw RecordBatchError(
                .unsupportedMagic, "magic \(magic) where a legacy message was expected", batchOffset: offset)
        }
        if verifyingChecksum {
            let computed = CRC32.checksum(checksummed)
            guard computed == crc else {
                throw RecordBatchError(
                    .corruptMessage, "CRC-32 is \(computed), the message says \(crc)", batchOffset: offset)
            }
        }
        do throws(RecordBatchError) {
            self.timestamp = magic == 0 ? -1 : try reader.readLegacyTimestamp()
            self.key = try reader.readLegacyBytes("key")
            self.value = try reader.readLegacyBytes("value")
            guard reader.readableBytes == 0 else {
                throw RecordBatchError(.invalidRecord, "\(reader.readableBytes) bytes left after the value")
            }
        } catch {
            var error = error
            error.batchOffset = offset
            throw error
        }
        self.offset = offset
        self.crc = crc
        self.magic = magic
        self.attributes = attributes
    }

    public var compression: CompressionCodec {
        CompressionCodec(rawValue: UInt8(bitPattern: attributes))
    }

    public var timestampType: TimestampType {
        if magic == 0 { return .noTimestamp }
        return attributes & Self.timestampTypeBit != 0 ? .logAppendTime : .createTime
    }

    /// Magic 1 only: bit 3 of the attributes.
    private static let timestampTypeBit: Int8 = 1 << 3
}
