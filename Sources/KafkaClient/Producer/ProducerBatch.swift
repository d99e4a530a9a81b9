import KafkaRecords
import NIOCore

/// One batch of records for one partition on its way to the broker: first a builder still in
/// memory, then the encoded RecordBatch v2 (kept as is for retries, so a retried batch carries
/// the same sequence numbers and the broker can tell a duplicate).
struct ProducerBatch<Completion> {
    enum Content {
        case building(RecordBatchBuilder)
        case encoded(ByteBuffer)
    }

    var topicPartition: TopicPartition
    var content: Content
    var recordCount: Int32
    /// Completed once with the broker's answer for every record of the batch.
    var completion: Completion
    var createdAt: NIODeadline
    /// Failed sends so far.
    var attempts = 0
    /// Set while the batch waits out `retry_backoff_ms` after a failure.
    var retryAt: NIODeadline?

    /// Encodes (and compresses) the batch once; later calls return the same bytes.
    mutating func encode() throws(RecordBatchError) -> ByteBuffer {
        switch content {
        case .encoded(let bytes):
            return bytes
        case .building(let builder):
            let bytes = try builder.build()
            content = .encoded(bytes)
            return bytes
        }
    }
}

extension ProducerBatch: Sendable where Completion: Sendable {}
