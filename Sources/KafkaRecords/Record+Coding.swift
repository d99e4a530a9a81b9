import KafkaProtocol
import NIOCore

// A record on the wire: length varint, attributes i8, timestampDelta varlong, offsetDelta varint,
// key and value (varint length, -1 = null), header count varint, then each header's key (varint
// length string) and value (varint length bytes, -1 = null).
extension Record {
    /// The fewest bytes a record takes: one each for length, attributes, timestamp delta, offset
    /// delta, key length, value length and header count. Bounds counts read from untrusted input.
    static let minimumEncodedSize = 7

    /// Reads one record, checking that its fields fill exactly its declared length.
    init(reading buffer: inout ByteBuffer) throws(RecordBatchError) {
        let length = try buffer.readRecordVarint("record length")
        guard length >= 0, var body = buffer.readSlice(length: Int(length)) else {
            throw RecordBatchError(.invalidRecord, "record length \(length) with \(buffer.readableBytes) bytes left")
        }
        guard let attributes = body.readInteger(as: Int8.self) else {
            throw RecordBatchError(.invalidRecord, "empty record")
        }
        self.attributes = attributes
        self.timestampDelta = try body.readRecordVarlong("timestamp delta")
        self.offsetDelta = try body.readRecordVarint("offset delta")
        self.key = try body.readRecordBytes("key")
        self.value = try body.readRecordBytes("value")
        let headerCount = try body.readRecordVarint("header count")
        // Each header takes at least two bytes (key length and value length).
        guard headerCount >= 0, Int(headerCount) <= body.readableBytes / 2 else {
            throw RecordBatchError(.invalidRecord, "header count \(headerCount) with \(body.readableBytes) bytes left")
        }
        var headers: [RecordHeader] = []
        headers.reserveCapacity(Int(headerCount))
        for _ in 0..<headerCount {
            let keyLength = try body.readRecordVarint("header key length")
            // Kafka decodes header keys leniently (invalid UTF-8 becomes U+FFFD), and so does readString.
            guard keyLength >= 0, let key = body.readString(length: Int(keyLength)) else {
                throw RecordBatchError(
                    .invalidRecord, "header key length \(keyLength) with \(body.readableBytes) bytes left")
            }
            headers.append(RecordHeader(key: key, value: try body.readRecordBytes("header value")))
        }
        self.headers = headers
        guard body.readableBytes == 0 else {
            throw RecordBatchError(.invalidRecord, "record length \(length) leaves \(body.readableBytes) bytes unread")
        }
    }

    /// The bytes after the length varint.
    var encodedBodySize: Int {
        var size = MemoryLayout<Int8>.size + VarintSize.varlong(timestampDelta) + VarintSize.varint(offsetDelta)
        size += Self.encodedSize(ofBytes: key) + Self.encodedSize(ofBytes: value)
        size += VarintSize.varint(Int32(headers.count))
        for header in headers {
            let keyLength = header.key.utf8.count
            size += VarintSize.varint(Int32(keyLength)) + keyLength + Self.encodedSize(ofBytes: header.value)
        }
        return size
    }

    /// Writes the record, length first; sizes are computed up front so nothing is staged in a
    /// temporary buffer.
    func write(to buffer: inout ByteBuffer) {
        buffer.writeVarint(Int32(encodedBodySize))
        buffer.writeInteger(attributes)
        buffer.writeVarlong(timestampDelta)
        buffer.writeVarint(offsetDelta)
        buffer.writeRecordBytes(key)
        buffer.writeRecordBytes(value)
        buffer.writeVarint(Int32(headers.count))
        for header in headers {
            buffer.writeVarint(Int32(header.key.utf8.count))
            buffer.writeString(header.key)
            buffer.writeRecordBytes(header.value)
        }
    }

    private static func encodedSize(ofBytes bytes: ByteBuffer?) -> Int {
        guard let bytes else { return VarintSize.varint(-1) }
        return VarintSize.varint(Int32(bytes.readableBytes)) + bytes.readableBytes
    }
}
