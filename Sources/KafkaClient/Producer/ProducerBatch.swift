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
            // Dropping the enum's reference first leaves the builder's buffer uniquely owned, so
            // build() writes the header in place instead of copying the batch.
            content = .encoded(ByteBuffer())
            let bytes = try builder.build()
            content = .encoded(bytes)
            return bytes
        }
    }
}

extension ProducerBatch: Sendable where Completion: Sendable {}

extension ProducerBatch {
    /// The producer id, epoch and base sequence the batch carries.
    var producerState: RecordAccumulator<Completion>.ProducerState {
        switch content {
        case .building(let builder):
            return .init(identity: .init(producerId: builder.producerId, epoch: builder.producerEpoch), baseSequence: builder.baseSequence)
        case .encoded(let bytes):
            guard let header = try? RecordBatchHeader(parsing: bytes) else {
                return .init(identity: .init(producerId: -1, epoch: -1), baseSequence: -1)
            }
            return .init(identity: .init(producerId: header.producerId, epoch: header.producerEpoch), baseSequence: header.baseSequence)
        }
    }

    /// Numbers the batch for a producer: in the builder, or by rewriting an encoded batch's header.
    mutating func setProducerState(_ state: RecordAccumulator<Completion>.ProducerState) {
        switch content {
        case .building(var builder):
            content = .encoded(ByteBuffer())
            builder.producerId = state.identity.producerId
            builder.producerEpoch = state.identity.epoch
            builder.baseSequence = state.baseSequence
            content = .building(builder)
        case .encoded(var bytes):
            content = .encoded(ByteBuffer())
            bytes.setRecordBatchProducerState(
                producerId: state.identity.producerId, producerEpoch: state.identity.epoch, baseSequence: state.baseSequence,
                batchAt: bytes.readerIndex)
            content = .encoded(bytes)
        }
    }
}

extension ProducerBatch {
    var uncompressedSize: Int {
        if case .building(let builder) = content { return builder.uncompressedSizeInBytes }
        return 0
    }

    /// Whether a record of `size` bytes may join: always into an empty batch (a record larger than
    /// `batch_size` gets a batch of its own), else while the batch stays within `batch_size`.
    func fits(_ size: Int, batchSize: Int) -> Bool {
        recordCount == 0 || uncompressedSize + size <= batchSize
    }
}
