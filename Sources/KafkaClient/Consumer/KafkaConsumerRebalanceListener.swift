/// Told when the group moves partitions to or from this consumer, kafka-python's
/// `ConsumerRebalanceListener` (passed to `subscribe(topics:listener:)`), with Java's
/// `onPartitionsLost` added.
///
/// The methods run inside `poll` (or the iteration, `unsubscribe`, `close`), on the task that
/// called it, so they may call the consumer: commit in `partitionsRevoked` what was processed, seek
/// in `partitionsAssigned` to offsets kept elsewhere. An error they throw ends that call with a
/// `KafkaError` of code `callbackFailed` (the thrown error as its `underlying`), after the group
/// round is over.
///
/// ```swift
/// struct CommitOnRevoke: KafkaConsumerRebalanceListener {
///     func partitionsRevoked(_ revoked: [TopicPartition], consumer: KafkaConsumer) async throws {
///         try await consumer.commit()
///     }
/// }
/// try await consumer.subscribe(topics: ["orders"], listener: CommitOnRevoke())
/// ```
public protocol KafkaConsumerRebalanceListener: Sendable {
    /// Before a rebalance (and before `unsubscribe` or `close` leave the group): the consumer gives
    /// these partitions up, and its generation is still valid, so `commit` stores their offsets for
    /// the next owner. Called after the positions were auto-committed, when auto-commit is on.
    func partitionsRevoked(_ revoked: [TopicPartition], consumer: KafkaConsumer) async throws

    /// After a rebalance: the partitions this consumer now owns (all of them, as the eager protocol
    /// reassigns everything). Their positions are resolved at the next fetch, after this returns,
    /// so a `seek` here decides where reading starts.
    func partitionsAssigned(_ assigned: [TopicPartition], consumer: KafkaConsumer) async throws

    /// The group moved on without this member (its session expired, or the coordinator forgot it):
    /// the partitions may already belong to another member, and committing them fails. By default
    /// this calls `partitionsRevoked`, as Java's does.
    func partitionsLost(_ lost: [TopicPartition], consumer: KafkaConsumer) async throws
}

extension KafkaConsumerRebalanceListener {
    public func partitionsRevoked(_ revoked: [TopicPartition], consumer: KafkaConsumer) async throws {}

    public func partitionsAssigned(_ assigned: [TopicPartition], consumer: KafkaConsumer) async throws {}

    public func partitionsLost(_ lost: [TopicPartition], consumer: KafkaConsumer) async throws {
        try await partitionsRevoked(lost, consumer: consumer)
    }
}
