import NIOCore

/// What `send` and the sender task share behind one lock: the accumulator, the partition cache and
/// whether the producer is closing.
struct ProducerState: Sendable {
    var accumulator: RecordAccumulator<ProducerBatchCompletion>
    var topics: [String: ProducerTopicPartitions] = [:]
    var isClosed = false
}
