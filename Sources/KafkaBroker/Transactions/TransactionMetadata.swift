import KafkaStorage

/// One transactional id as the coordinator knows it (Kafka's `TransactionMetadata`): the
/// producer instance that owns it, and its current transaction.
struct TransactionMetadata: Hashable, Sendable {
    var transactionalId: String
    var producerId: Int64
    var producerEpoch: Int16
    var timeoutMs: Int32
    var state: TransactionState
    /// The partitions written in the current transaction, including a group's
    /// `__consumer_offsets` partition added by AddOffsetsToTxn.
    var partitions: Set<TopicPartition>
    /// When the current transaction began (its first AddPartitionsToTxn); -1 when none is open.
    var startTimestampMs: Int64
    var lastUpdateTimestampMs: Int64

    /// The transaction has run longer than its timeout.
    func hasExpired(nowMs: Int64) -> Bool {
        state == .ongoing && startTimestampMs >= 0 && nowMs - startTimestampMs > Int64(timeoutMs)
    }
}
