import KafkaProtocol
import KafkaRecords
import KafkaStorage

/// Where the transaction coordinator keeps its metadata: the seam between its decisions and
/// their storage (the internal topic here, a database in a cluster).
protocol TransactionStateStore: Sendable {
    /// Writes the latest metadata of an id (a nil metadata removes it) in call order, without
    /// waiting for the fsync: the coordinator calls it under its lock.
    func write(_ record: TransactionLogRecord) throws
    /// Waits until what `write` wrote for this id is durable.
    func waitUntilDurable(transactionalId: String) async throws
    /// The latest metadata of every id, as written before the last shutdown or crash.
    func replay() throws -> [TransactionMetadata]
}

/// The coordinator's metadata in the compacted internal topic `__transaction_state`, one
/// partition per transactional id (chosen as Kafka does), created with
/// `transaction.state.log.num.partitions` partitions when the first transactional client looks
/// for its coordinator, as Kafka does, so brokers without transactions list no such topic.
struct TransactionTopicStore: TransactionStateStore {
    let state: BrokerState

    func write(_ record: TransactionLogRecord) throws {
        let log = try stateLog(for: record.transactionalId)
        let now = WallClock.milliseconds()
        var builder = RecordBatchBuilder()
        builder.append(timestamp: now, key: record.key, value: record.value)
        _ = try log.append(try builder.build(), appendTimeMs: now)
    }

    func waitUntilDurable(transactionalId: String) async throws {
        let log = try stateLog(for: transactionalId)
        try await state.flusher.waitForFlush(of: log, upTo: log.logEndOffset - 1)
    }

    func replay() throws -> [TransactionMetadata] {
        var latest: [String: TransactionMetadata] = [:]
        for log in state.topics.topic(named: Topic.transactionState)?.partitions ?? [] {
            try log.forEachStoredBatch { batch in
                for record in try batch.records() {
                    guard let key = record.key, let decoded = try TransactionLogRecord(key: key, value: record.value)
                    else { continue }
                    latest[decoded.transactionalId] = decoded.metadata
                }
            }
        }
        return latest.values.sorted { $0.transactionalId < $1.transactionalId }
    }

    /// The topic, created on first use with its configured partition count.
    func stateTopic() throws(TopicError) -> Topic {
        if let topic = state.topics.topic(named: Topic.transactionState) { return topic }
        do {
            return try state.topics.create(
                name: Topic.transactionState, partitions: state.configuration.transactionStateLogNumPartitions,
                replicationFactor: 1,
                overrides: [
                    "cleanup.policy": "compact", "segment.bytes": "\(state.configuration.transactionStateLogSegmentBytes)",
                ])
        } catch  where error.code == .topicAlreadyExists {
            return state.topics.topic(named: Topic.transactionState)!
        }
    }

    private func stateLog(for transactionalId: String) throws -> PartitionLog {
        let topic = try stateTopic()
        let partition = ConsumerOffsetsRecord.partition(forGroup: transactionalId, partitionCount: Int32(topic.partitions.count))
        return topic.partitions[Int(partition)]
    }
}
