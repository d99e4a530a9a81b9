/// The partitions of a topic as the producer's `send` needs them, cached next to the accumulator so
/// that choosing a partition takes no trip to the cluster actor.
struct ProducerTopicPartitions: Sendable {
    /// Sorted, as kafka-python's partitioner expects.
    var all: [Int32]
    /// Those with a leader.
    var available: [Int32]
    var expiresAt: ContinuousClock.Instant
}
