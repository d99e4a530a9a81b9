import KafkaProtocol
import NIOConcurrencyHelpers

/// Transactions, after kafka-python 3's (and Java's) transactional producer: with a
/// `transactionalId`, records sent between `beginTransaction()` and `commitTransaction()`, and the
/// consumer offsets given to `sendOffsetsToTransaction`, become visible together to read_committed
/// consumers and to the group, or not at all after `abortTransaction()`.
///
/// ```swift
/// try await producer.initTransactions()
/// try await producer.beginTransaction()
/// try await producer.send(topic: "out", value: result)
/// try await producer.sendOffsetsToTransaction(offsets, consumerGroupMetadata: try await consumer.groupMetadata)
/// try await producer.commitTransaction()
/// ```
///
/// A call that throws an error whose `errorCode` is PRODUCER_FENCED or INVALID_PRODUCER_EPOCH
/// (a newer producer with the same id started, or the transaction timed out) leaves the producer
/// unusable: close it. After any other error of a transaction, `abortTransaction()` and carry on.
extension KafkaProducer {
    /// Registers the transactional id with its coordinator and gets the producer id and epoch,
    /// fencing any older producer with the same id and aborting the transaction it left open.
    /// Call it once, before the first transaction; it may be called again after it failed.
    public func initTransactions() async throws(KafkaError) {
        let transactions = try transactional()
        try transactions.update { state throws(KafkaError) in try state.startInitializing() }
        do {
            let identity = try await transactions.initProducerId()
            state.withLockedValue { state in
                state.accumulator.producerIdentityChanged(identity)
                state.transaction?.initialized()
            }
        } catch {
            state.withLockedValue { $0.transaction?.initializationFailed(error) }
            throw error
        }
    }

    /// Opens a transaction: records sent from now on belong to it.
    public func beginTransaction() async throws(KafkaError) {
        try transactional().update { state throws(KafkaError) in try state.begin() }
    }

    /// Makes `offsets` (the next offset to read of each input partition) the group's committed
    /// offsets when, and only when, the transaction commits: the read-process-write step of
    /// exactly-once. `consumerGroupMetadata` is the consumer's `groupMetadata`, so that a
    /// member rebalanced out cannot commit.
    public func sendOffsetsToTransaction(
        _ offsets: [TopicPartition: OffsetAndMetadata], consumerGroupMetadata: KafkaConsumerGroupMetadata
    ) async throws(KafkaError) {
        let transactions = try transactional()
        let group = consumerGroupMetadata.groupId
        guard !offsets.isEmpty else { return }
        let identity = try currentIdentity()
        if try transactions.update({ state throws(KafkaError) in try state.needsAdding(group: group) }) {
            do {
                try await transactions.addOffsets(group: group, identity: identity)
            } catch {
                throw transactions.failed(error)
            }
            try transactions.update { state throws(KafkaError) in state.added(group: group) }
        }
        do {
            try await transactions.commitOffsets(offsets, group: consumerGroupMetadata, identity: identity)
        } catch {
            throw transactions.failed(error)
        }
    }

    /// Sends every record of the transaction, then commits it. When a record failed the
    /// transaction cannot commit: this throws, and `abortTransaction()` must follow. After a
    /// retriable error that outlasted `maxBlockMs` it may be called again.
    public func commitTransaction() async throws(KafkaError) {
        let transactions = try transactional()
        try transactions.update { state throws(KafkaError) in try state.startCommit() }
        do {
            try await flush()
        } catch {
            state.withLockedValue { $0.transaction?.batchFailed(error) }
            throw error
        }
        try await endTransaction(commit: true, transactions)
    }

    /// Drops the records of the transaction not yet sent (their futures fail), waits for those in
    /// flight, and aborts it: nothing of it becomes visible to read_committed consumers, and its
    /// offsets are not committed.
    public func abortTransaction() async throws(KafkaError) {
        let transactions = try transactional()
        let wasFailing = try transactions.update { state throws(KafkaError) in
            let wasFailing = state.phase == .abortableError
            try state.startAbort()
            return wasFailing
        }
        let (dropped, inFlight) = state.withLockedValue { state in
            (state.accumulator.abortUnsent(), state.accumulator.incompleteCompletions)
        }
        for completion in dropped {
            completion.fail(KafkaError(.illegalState, "the record was dropped unsent: its transaction was aborted"))
        }
        var someFailed = wasFailing || !dropped.isEmpty
        for completion in inFlight {
            if case .failure = await completion.result() { someFailed = true }
        }
        try await endTransaction(commit: false, transactions)
        guard someFailed else { return }
        // Records dropped or refused leave gaps in the sequences the broker expects of this
        // epoch; a new epoch starts them again at 0.
        do {
            let identity = try await transactions.initProducerId()
            state.withLockedValue { $0.accumulator.producerIdentityChanged(identity) }
        } catch {
            throw transactions.failed(error)
        }
    }

    /// EndTxn when the transaction reached the coordinator, then the producer is ready for the next one.
    private func endTransaction(commit: Bool, _ transactions: ProducerTransactions) async throws(KafkaError) {
        if try transactions.update({ state throws(KafkaError) in state.reachedCoordinator }) {
            do {
                try await transactions.endTransaction(commit: commit, identity: try currentIdentity())
            } catch {
                throw transactions.failed(error)
            }
        }
        try transactions.update { state throws(KafkaError) in state.completed() }
    }

    /// Before a record for `partition` is buffered: the partition joins the open transaction
    /// (AddPartitionsToTxn) unless it already has, so that no record reaches it first.
    func addToTransaction(_ partition: TopicPartition) async throws(KafkaError) {
        let transactions = try transactional()
        guard try transactions.update({ state throws(KafkaError) in try state.needsAdding(partition) }) else { return }
        do {
            try await transactions.addPartitions([partition], identity: try currentIdentity())
        } catch {
            throw transactions.failed(error)
        }
        try transactions.update { state throws(KafkaError) in state.added([partition]) }
    }

    private func transactional() throws(KafkaError) -> ProducerTransactions {
        guard let transactions else {
            throw KafkaError(.illegalState, "transactions need a producer with a transactional_id")
        }
        return transactions
    }

    private func currentIdentity() throws(KafkaError) -> ProducerTransactions.ProducerIdentity {
        guard let identity = state.withLockedValue({ $0.accumulator.producerIdentity }) else {
            throw KafkaError(.illegalState, "the producer has no producer id: call initTransactions() first")
        }
        return identity
    }
}
