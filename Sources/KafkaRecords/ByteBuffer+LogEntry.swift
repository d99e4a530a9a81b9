import NIOCore

// Every entry of a message set, whatever its format, starts with offset i64 and size i32
// (Kafka's LOG_OVERHEAD), so whole entries can be framed before their magic byte is looked at.
extension ByteBuffer {
    /// The smallest size field any format allows: a magic 0 message (crc, magic, attributes,
    /// key length, value length), as Kafka's ByteBufferLogInputStream checks.
    static let minimumLogEntrySizeField: Int32 = 14

    /// The total size of the entry at the reader index, or nil when fewer than the 12 bytes that
    /// give it are readable. Throws `.corruptMessage` for a size field no entry can have.
    func logEntrySize() throws(RecordBatchError) -> Int? {
        guard let offset = getInteger(at: readerIndex, as: Int64.self),
            let sizeField = getInteger(at: readerIndex + 8, as: Int32.self)
        else { return nil }
        guard sizeField >= Self.minimumLogEntrySizeField else {
            throw RecordBatchError(.corruptMessage, "entry size \(sizeField) is below the minimum", batchOffset: offset)
        }
        return RecordBatchHeader.logOverhead + Int(sizeField)
    }
}
