import KafkaRecords
import NIOCore

/// The producer's batching without I/O (kafka-python's RecordAccumulator): records are appended to
/// an open batch per partition, straight into the batch's buffer; a batch becomes ready when it
/// reaches `batch_size`, when `linger_ms` has passed since its first record, or when a flush or
/// close asks for everything. At most one batch per partition is in flight, and a failed batch
/// goes back to the front of its partition's queue, so retries never reorder records.
///
/// `Completion` is what the producer completes per batch (a `ProducerBatchCompletion`); tests use
/// plain values.
struct RecordAccumulator<Completion> {
    struct Settings {
        var batchSize: Int
        var linger: TimeAmount
        var retryBackoff: TimeAmount
        var deliveryTimeout: TimeAmount
        var compression: CompressionCodec
        /// Batches carry the transactional flag (a transactional producer's records stay hidden
        /// from read_committed consumers until the transaction's commit marker).
        var isTransactional = false
    }

    struct Appended {
        var completion: Completion
        /// The record's offset within its batch.
        var relativeOffset: Int32
        /// A batch became ready or a new batch started a linger period: the sender must look again.
        var wakeSender: Bool
    }

    struct Drained {
        /// Batches to send now, at most one per partition; the partitions are in flight until
        /// `completed` or `retry` is called for them.
        var ready: [ProducerBatch<Completion>]
        /// Batches older than `delivery_timeout_ms` that were never sent; they fail.
        var expired: [ProducerBatch<Completion>]
        /// When to drain again if nothing else happens.
        var nextDeadline: NIODeadline?
    }

    /// The producer id and epoch from InitProducerId, when idempotence is on.
    struct ProducerIdentity: Hashable {
        var producerId: Int64
        var epoch: Int16
    }

    /// What a batch carries of its producer: the identity and the sequence of its first record
    /// (-1 each until an idempotent producer numbers it).
    struct ProducerState: Hashable {
        var identity: ProducerIdentity
        var baseSequence: Int32
    }

    fileprivate struct PartitionQueue {
        /// Full batches and batches waiting to be retried, oldest first.
        var batches = CircularBuffer<ProducerBatch<Completion>>()
        var inFlight: Completion?
    }

    let settings: Settings
    /// Batches still taking records. Kept apart from the queues so that appending mutates a
    /// uniquely referenced builder (no copy of the batch buffer per record).
    private var open: [TopicPartition: ProducerBatch<Completion>] = [:]
    private var queues: [TopicPartition: PartitionQueue] = [:]
    private var flushes = 0
    private var isClosing = false
    private(set) var producerIdentity: ProducerIdentity?
    private var nextSequence: [TopicPartition: Int32] = [:]

    init(settings: Settings) {
        self.settings = settings
    }

    /// An upper bound of a record's size inside a batch: the varint fields at their widest.
    static func estimatedSize(key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader]) -> Int {
        var size = 5 + 1 + 10 + 5 + 5 + (key?.readableBytes ?? 0) + 5 + (value?.readableBytes ?? 0) + 5
        for header in headers { size += 5 + header.key.utf8.count + 5 + (header.value?.readableBytes ?? 0) }
        return size
    }

    // MARK: - Appending

    /// Appends a record to the partition's open batch, starting a new batch (with a completion
    /// from `makeCompletion`) when there is none or the record does not fit.
    mutating func append(
        to topicPartition: TopicPartition, timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader],
        now: NIODeadline, makeCompletion: () -> Completion
    ) -> Appended {
        let size = Self.estimatedSize(key: key, value: value, headers: headers)
        var wakeSender = false
        // The batch is moved out of `open` (and `current` emptied) while appending, so that its
        // buffer is uniquely referenced: a second reference would copy the whole batch per record.
        var current = open.removeValue(forKey: topicPartition)
        if let full = current, !full.fits(size, batchSize: settings.batchSize) {
            queues[topicPartition, default: PartitionQueue()].batches.append(full)
            current = nil
        }
        var batch: ProducerBatch<Completion>
        if let reused = current.take() {
            batch = reused
        } else {
            var builder = RecordBatchBuilder(compression: settings.compression)
            builder.isTransactional = settings.isTransactional
            batch = ProducerBatch(
                topicPartition: topicPartition, content: .building(builder),
                recordCount: 0, completion: makeCompletion(), createdAt: now)
            wakeSender = true
        }
        let relativeOffset = batch.recordCount
        if case .building(var builder) = batch.content {
            batch.content = .encoded(ByteBuffer())
            builder.append(timestamp: timestamp, key: key, value: value, headers: headers)
            batch.content = .building(builder)
        }
        batch.recordCount += 1
        let completion = batch.completion
        if batch.uncompressedSize >= settings.batchSize {
            queues[topicPartition, default: PartitionQueue()].batches.append(batch)
            wakeSender = true
        } else {
            open[topicPartition] = batch
        }
        return Appended(completion: completion, relativeOffset: relativeOffset, wakeSender: wakeSender)
    }

    // MARK: - Draining

    /// Takes the batches that are ready to send, assigning sequence numbers when idempotent.
    mutating func drain(now: NIODeadline) -> Drained {
        var drained = Drained(ready: [], expired: [], nextDeadline: nil)
        for topicPartition in Set(open.keys).union(queues.keys) {
            var queue = queues.removeValue(forKey: topicPartition) ?? PartitionQueue()
            expire(&queue, topicPartition: topicPartition, now: now, into: &drained.expired)
            if queue.inFlight == nil {
                if let first = queue.batches.first {
                    if let retryAt = first.retryAt, retryAt > now {
                        drained.nextDeadline = earliest(drained.nextDeadline, retryAt)
                    } else {
                        var batch = queue.batches.removeFirst()
                        assignSequence(&batch)
                        queue.inFlight = batch.completion
                        drained.ready.append(batch)
                    }
                } else if let batch = open[topicPartition] {
                    let lingerEnds = batch.createdAt + settings.linger
                    if lingerEnds <= now || flushes > 0 || isClosing {
                        var batch = open.removeValue(forKey: topicPartition)!
                        assignSequence(&batch)
                        queue.inFlight = batch.completion
                        drained.ready.append(batch)
                    } else {
                        drained.nextDeadline = earliest(drained.nextDeadline, lingerEnds)
                    }
                }
            }
            if queue.inFlight != nil || !queue.batches.isEmpty { queues[topicPartition] = queue }
        }
        return drained
    }

    /// Batches not in flight and older than the delivery timeout fail instead of being sent.
    private mutating func expire(
        _ queue: inout PartitionQueue, topicPartition: TopicPartition, now: NIODeadline, into expired: inout [ProducerBatch<Completion>]
    ) {
        let limit = now - settings.deliveryTimeout
        while let first = queue.batches.first, first.createdAt < limit {
            expired.append(queue.batches.removeFirst())
        }
        if let batch = open[topicPartition], batch.createdAt < limit {
            expired.append(open.removeValue(forKey: topicPartition)!)
        }
    }

    private mutating func assignSequence(_ batch: inout ProducerBatch<Completion>) {
        guard let producerIdentity else { return }
        // A batch drained before and put back unsent (its broker had enough requests open, or its
        // leader was unknown), or retried, keeps its sequence under the same producer id: numbering
        // it again would leave a gap that the broker refuses with OUT_OF_ORDER_SEQUENCE_NUMBER.
        // Under a new id (after InitProducerId again) it is numbered anew, encoded or not.
        let current = batch.producerState
        guard current.baseSequence < 0 || current.identity != producerIdentity else { return }
        let sequence = nextSequence[batch.topicPartition, default: 0]
        batch.setProducerState(.init(identity: producerIdentity, baseSequence: sequence))
        // Sequences wrap to 0 after Int32.max, as in Kafka.
        nextSequence[batch.topicPartition] = Int32(
            truncatingIfNeeded: (Int64(sequence) + Int64(batch.recordCount)) % (Int64(Int32.max) + 1))
    }

    private func earliest(_ a: NIODeadline?, _ b: NIODeadline) -> NIODeadline {
        a.map { min($0, b) } ?? b
    }

    // MARK: - Results

    /// The partition's batch in flight was answered (or written, for acks=0) and is done.
    mutating func completed(_ topicPartition: TopicPartition) {
        queues[topicPartition]?.inFlight = nil
        if let queue = queues[topicPartition], queue.batches.isEmpty { queues[topicPartition] = nil }
    }

    /// The partition's batch in flight failed with a retriable error: it goes back to the front of
    /// the queue and is sent again after `retry_backoff_ms`.
    mutating func retry(_ batch: ProducerBatch<Completion>, now: NIODeadline) {
        var batch = batch
        batch.attempts += 1
        batch.retryAt = now + settings.retryBackoff
        var queue = queues.removeValue(forKey: batch.topicPartition) ?? PartitionQueue()
        queue.inFlight = nil
        queue.batches.prepend(batch)
        queues[batch.topicPartition] = queue
    }

    /// The batch was drained but could not be sent yet (its broker has
    /// `max_in_flight_requests_per_connection` requests open, or its leader is unknown): it goes
    /// back to the front of its queue, without counting as an attempt, and is ready again at once.
    mutating func requeue(_ batch: ProducerBatch<Completion>) {
        var queue = queues.removeValue(forKey: batch.topicPartition) ?? PartitionQueue()
        queue.inFlight = nil
        queue.batches.prepend(batch)
        queues[batch.topicPartition] = queue
    }

    /// A batch the broker refused for good, so did not store, gives its sequences back: the
    /// partition's next batch must follow the last stored one. Only one batch of a partition is in
    /// flight at a time, so none after it carries a sequence yet.
    mutating func releaseSequences(of batch: ProducerBatch<Completion>) {
        let state = batch.producerState
        guard let producerIdentity, state.identity == producerIdentity, state.baseSequence >= 0 else { return }
        nextSequence[batch.topicPartition] = state.baseSequence
    }

    /// A new producer id (after InitProducerId, or after a sequence error made the old one
    /// unusable): sequences start again at 0 for every partition.
    mutating func producerIdentityChanged(_ identity: ProducerIdentity?) {
        producerIdentity = identity
        nextSequence = [:]
    }

    // MARK: - Flush and close

    /// Every batch not yet completed (queued, open or in flight). A flush waits for these.
    var incompleteCompletions: [Completion] {
        var completions = open.values.map { $0.completion }
        for queue in queues.values {
            completions += queue.batches.map { $0.completion }
            if let inFlight = queue.inFlight { completions.append(inFlight) }
        }
        return completions
    }

    var isEmpty: Bool { open.isEmpty && queues.isEmpty }

    /// While a flush runs, open batches are ready without waiting for `linger_ms`.
    mutating func beginFlush() { flushes += 1 }
    mutating func endFlush() { flushes -= 1 }

    /// From now on everything is ready at once.
    mutating func close() { isClosing = true }

    /// Removes every batch not in flight (a close that ran out of time); they fail.
    mutating func abortUnsent() -> [Completion] {
        var completions = open.values.map { $0.completion }
        open = [:]
        for (topicPartition, queue) in queues {
            completions += queue.batches.map { $0.completion }
            queues[topicPartition]?.batches = []
            if queue.inFlight == nil { queues[topicPartition] = nil }
        }
        return completions
    }
}

extension RecordAccumulator: Sendable where Completion: Sendable {}
extension RecordAccumulator.Appended: Sendable where Completion: Sendable {}
extension RecordAccumulator.Drained: Sendable where Completion: Sendable {}
extension RecordAccumulator.PartitionQueue: Sendable where Completion: Sendable {}
