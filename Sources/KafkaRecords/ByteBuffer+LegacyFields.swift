import KafkaProtocol
import NIOCore

// The fields of a legacy message after its attributes, with failures reported as
// `RecordBatchError` since they happen inside a message whose size and CRC already checked out.
extension ByteBuffer {
    mutating func readLegacyTimestamp() throws(RecordBatchError) -> Int64 {
        guard let timestamp = readInteger(as: Int64.self) else {
            throw RecordBatchError(.invalidRecord, "message too short for its timestamp")
        }
        return timestamp
    }

    /// Kafka's classic nullable bytes: an int32 length (-1 for null) and the bytes, as a slice.
    mutating func readLegacyBytes(_ field: StaticString) throws(RecordBatchError) -> ByteBuffer? {
        do {
            return try readKafkaNullableBytes(compact: false)
        } catch {
            throw RecordBatchError(.invalidRecord, "\(field): \(error)")
        }
    }
}
