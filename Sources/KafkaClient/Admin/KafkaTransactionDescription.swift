/// A transactional id as its coordinator's ListTransactions reports it.
public struct KafkaTransactionListing: Hashable, Sendable {
    public var transactionalId: String
    public var producerId: Int64
    /// Kafka's state name: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead.
    public var state: String
    /// The broker that answered: the id's transaction coordinator.
    public var coordinatorId: Int32
}

/// A transactional id's transaction as its coordinator's DescribeTransactions reports it.
public struct KafkaTransactionDescription: Hashable, Sendable {
    public var transactionalId: String
    public var coordinatorId: Int32
    public var producerId: Int64
    public var producerEpoch: Int16
    public var state: String
    public var transactionTimeoutMs: Int32
    /// Milliseconds since the epoch when the open transaction started; nil when none is open.
    public var transactionStartTimeMs: Int64?
    /// The partitions in the open transaction.
    public var topicPartitions: [TopicPartition]
}
