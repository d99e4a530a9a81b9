import KafkaProtocol
import NIOCore

// The variable-length fields inside a v2 record (zig-zag varint lengths, -1 for null), with
// decoding failures reported as `RecordBatchError` since they happen inside a CRC-checked batch.
extension ByteBuffer {
    mutating func readRecordVarint(_ field: StaticString) throws(RecordBatchError) -> Int32 {
        do {
            return try readVarint()
        } catch {
            throw RecordBatchError(.invalidRecord, "\(field): \(error)")
        }
    }

    mutating func readRecordVarlong(_ field: StaticString) throws(RecordBatchError) -> Int64 {
        do {
            return try readVarlong()
        } catch {
            throw RecordBatchError(.invalidRecord, "\(field): \(error)")
        }
    }

    /// A varint length (-1 for null) and that many bytes, as a slice of this buffer.
    mutating func readRecordBytes(_ field: StaticString) throws(RecordBatchError) -> ByteBuffer? {
        let length = try readRecordVarint(field)
        if length == -1 { return nil }
        guard length >= 0, let bytes = readSlice(length: Int(length)) else {
            throw RecordBatchError(.invalidRecord, "\(field) length \(length) with \(readableBytes) bytes left")
        }
        return bytes
    }

    mutating func writeRecordBytes(_ bytes: ByteBuffer?) {
        guard let bytes else {
            writeVarint(-1)
            return
        }
        writeVarint(Int32(bytes.readableBytes))
        writeImmutableBuffer(bytes)
    }
}
