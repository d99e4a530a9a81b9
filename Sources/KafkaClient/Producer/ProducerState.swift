import NIOCore

/// What `send` and the sender task share behind one lock: the accumulator, the partition cache and
/// whether the producer is closing, and a transactional producer's transaction.
struct ProducerState: Sendable {
    var accumulator: RecordAccumulator<ProducerBatchCompletion>
    var topics: [String: ProducerTopicPartitions] = [:]
    var isClosed = false
    /// The transaction's state, for a producer with a `transactional_id`.
    var transaction: ProducerTransactionState?
}
