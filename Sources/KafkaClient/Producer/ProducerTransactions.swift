import KafkaProtocol
import Logging
import NIOConcurrencyHelpers

/// The requests of a transactional producer: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn
/// and EndTxn to the transaction coordinator (found with FindCoordinator key type TRANSACTION),
/// TxnOffsetCommit to the group's coordinator. Each is sent again while the answer is retriable
/// (the coordinator loading, moved or not available, an earlier transaction still completing)
/// until `max_block_ms` has passed. The state they change is `ProducerState.transaction`.
final class ProducerTransactions: Sendable {
    struct Settings: Sendable {
        var transactionalId: String
        var transactionTimeoutMs: Int
        var maxBlockMs: Int
        var retryBackoffMs: Int
    }

    typealias ProducerIdentity = RecordAccumulator<ProducerBatchCompletion>.ProducerIdentity

    let settings: Settings
    private let state: NIOLockedValueBox<ProducerState>
    private let cluster: KafkaCluster
    private let logger: Logger
    private let coordinator = NIOLockedValueBox<BrokerConnection?>(nil)

    init(settings: Settings, state: NIOLockedValueBox<ProducerState>, cluster: KafkaCluster, logger: Logger) {
        self.settings = settings
        self.state = state
        self.cluster = cluster
        self.logger = logger
    }

    /// Runs `body` on the transaction state under the producer's lock.
    func update<Value>(_ body: (inout ProducerTransactionState) throws(KafkaError) -> Value) throws(KafkaError) -> Value {
        let result = state.withLockedValue { state -> Result<Value, KafkaError> in
            guard state.transaction != nil else { return .failure(KafkaError(.illegalState, "the producer has no transactional_id")) }
            return Result { () throws(KafkaError) -> Value in try body(&state.transaction!) }
        }
        return try result.get()
    }

    /// Records a failure of the transaction's requests (see `ProducerTransactionState.failed`)
    /// and returns it for throwing.
    func failed(_ error: KafkaError) -> KafkaError {
        state.withLockedValue { $0.transaction?.failed(error) }
        return error
    }

    // MARK: - Requests

    /// A producer id and epoch for the transactional id; the coordinator fences older producers
    /// with the same id and aborts the transaction they left open.
    func initProducerId() async throws(KafkaError) -> ProducerIdentity {
        let request = InitProducerIdRequest(
            transactionalId: settings.transactionalId, transactionTimeoutMs: Int32(clamping: settings.transactionTimeoutMs))
        let response = try await sendToCoordinator(request) {
            KafkaError.broker(code: $0.errorCode, "InitProducerId for transactional id \(settings.transactionalId)")
        }
        logger.debug("transactional id \(settings.transactionalId): producer id \(response.producerId), epoch \(response.producerEpoch)")
        return ProducerIdentity(producerId: response.producerId, epoch: response.producerEpoch)
    }

    func addPartitions(_ partitions: Set<TopicPartition>, identity: ProducerIdentity) async throws(KafkaError) {
        let request = AddPartitionsToTxnRequest(
            v3AndBelowTransactionalId: settings.transactionalId, v3AndBelowProducerId: identity.producerId,
            v3AndBelowProducerEpoch: identity.epoch,
            v3AndBelowTopics: Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
                .init(name: topic, partitions: partitions.map(\.partition).sorted())
            })
        _ = try await sendToCoordinator(request) { response in
            let codes = response.resultsByTopicV3AndBelow.flatMap { topic in
                topic.resultsByPartition.map { (TopicPartition(topic: topic.name, partition: $0.partitionIndex), $0.partitionErrorCode) }
            }
            // OPERATION_NOT_ATTEMPTED only says that another partition was refused: name that one.
            let refused =
                codes.first { $0.1 != 0 && $0.1 != ErrorCode.operationNotAttempted.rawValue } ?? codes.first { $0.1 != 0 }
            return refused.flatMap { KafkaError.broker(code: $0.1, "AddPartitionsToTxn for \($0.0)") }
                ?? KafkaError.broker(code: response.errorCode, "AddPartitionsToTxn")
        }
    }

    func addOffsets(group: String, identity: ProducerIdentity) async throws(KafkaError) {
        let request = AddOffsetsToTxnRequest(
            transactionalId: settings.transactionalId, producerId: identity.producerId, producerEpoch: identity.epoch, groupId: group)
        _ = try await sendToCoordinator(request) { KafkaError.broker(code: $0.errorCode, "AddOffsetsToTxn for group \(group)") }
    }

    func endTransaction(commit: Bool, identity: ProducerIdentity) async throws(KafkaError) {
        let request = EndTxnRequest(
            transactionalId: settings.transactionalId, producerId: identity.producerId, producerEpoch: identity.epoch, committed: commit)
        _ = try await sendToCoordinator(request) {
            KafkaError.broker(code: $0.errorCode, "EndTxn (\(commit ? "commit" : "abort")) for \(settings.transactionalId)")
        }
    }

    /// TxnOffsetCommit to the group's coordinator: the offsets become the group's when the
    /// transaction commits.
    func commitOffsets(
        _ offsets: [TopicPartition: OffsetAndMetadata], group: KafkaConsumerGroupMetadata, identity: ProducerIdentity
    ) async throws(KafkaError) {
        let request = TxnOffsetCommitRequest(
            transactionalId: settings.transactionalId, groupId: group.groupId, producerId: identity.producerId,
            producerEpoch: identity.epoch, generationId: group.generationId, memberId: group.memberId,
            groupInstanceId: group.groupInstanceId,
            topics: Dictionary(grouping: offsets, by: \.key.topic).sorted { $0.key < $1.key }.map { topic, entries in
                .init(
                    name: topic,
                    partitions: entries.sorted { $0.key.partition < $1.key.partition }.map {
                        .init(
                            partitionIndex: $0.key.partition, committedOffset: $0.value.offset,
                            committedLeaderEpoch: $0.value.leaderEpoch, committedMetadata: $0.value.metadata)
                    })
            })
        let deadline = ContinuousClock.now + .milliseconds(settings.maxBlockMs)
        while true {
            let failure: KafkaError
            do {
                let connection = try await cluster.coordinatorConnection(forGroup: group.groupId, deadline: deadline)
                let response = try await connection.send(request)
                let refused = response.topics.flatMap { topic in
                    topic.partitions.map { (TopicPartition(topic: topic.name, partition: $0.partitionIndex), $0.errorCode) }
                }.first { $0.1 != 0 }
                guard let refused, let error = KafkaError.broker(code: refused.1, "TxnOffsetCommit for \(refused.0)") else { return }
                failure = error
            } catch {
                failure = error
            }
            try await backOff(after: failure, deadline: deadline)
        }
    }

    // MARK: - Coordinator

    /// Sends `request` to the transaction coordinator until it is answered without a retriable
    /// error (`refusal` reads the answer's error) or `max_block_ms` has passed.
    private func sendToCoordinator<Request: KafkaRequestMessage>(
        _ request: Request, refusal: (Request.Response) -> KafkaError?
    ) async throws(KafkaError) -> Request.Response {
        let deadline = ContinuousClock.now + .milliseconds(settings.maxBlockMs)
        while true {
            let failure: KafkaError
            do {
                let connection = try await coordinatorConnection(deadline: deadline)
                do {
                    let response = try await connection.send(request)
                    guard let refused = refusal(response) else { return response }
                    if refused.errorCode == .notCoordinator || refused.errorCode == .coordinatorNotAvailable { forgetCoordinator() }
                    failure = refused
                } catch {
                    forgetCoordinator()
                    failure = error
                }
            } catch {
                failure = error
            }
            try await backOff(after: failure, deadline: deadline)
        }
    }

    /// Returns after `retry_backoff_ms` when `failure` is retriable and the deadline allows
    /// another attempt; throws it otherwise.
    private func backOff(after failure: KafkaError, deadline: ContinuousClock.Instant) async throws(KafkaError) {
        let nextAttempt = ContinuousClock.now + .milliseconds(settings.retryBackoffMs)
        guard ProducerTransactionState.severity(of: failure) == .retriable, nextAttempt < deadline else { throw failure }
        logger.debug("transactional id \(settings.transactionalId): retrying after \(failure)")
        do { try await Task.sleep(until: nextAttempt) } catch { throw KafkaError.shutdown("the producer's task") }
    }

    private func coordinatorConnection(deadline: ContinuousClock.Instant) async throws(KafkaError) -> BrokerConnection {
        if let cached = coordinator.withLockedValue({ $0 }), cached.isActive { return cached }
        let connection = try await cluster.coordinator(forTransactionalId: settings.transactionalId, deadline: deadline).connection
        coordinator.withLockedValue { $0 = connection }
        return connection
    }

    private func forgetCoordinator() {
        coordinator.withLockedValue { $0 = nil }
    }
}
