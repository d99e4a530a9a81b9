import KafkaProtocol

/// A transactional producer's side of Kafka's transaction protocol (the Java client's
/// TransactionManager), without I/O: which calls the current state allows, which partitions and
/// groups the coordinator already has in the transaction, and how a failure changes the state.
///
/// An abortable error (a refused batch, a failed offset commit) leaves the transaction to be
/// aborted, after which the producer carries on; a fatal error (the producer was fenced by a newer
/// one with the same transactional id, or is not authorized) ends the producer: every later call
/// throws it again.
struct ProducerTransactionState: Sendable {
    enum Phase: Sendable, Equatable {
        case uninitialized
        case initializing
        case ready
        case inTransaction
        case committing
        case aborting
        case abortableError
        case fatalError
    }

    /// How the producer must react to an error of a transactional request or of a batch.
    enum Severity: Sendable, Equatable {
        /// The same request may succeed later (the coordinator is loading or moving, an earlier
        /// transaction is still completing): send it again after `retry_backoff_ms`.
        case retriable
        /// The transaction cannot commit any more; `abortTransaction()` gets the producer back.
        case abortable
        /// The producer can do nothing more: close it (and start a new one, if it was fenced).
        case fatal
    }

    private(set) var phase: Phase = .uninitialized
    /// What moved the producer to `abortableError` or `fatalError`.
    private(set) var error: KafkaError?
    /// The partitions the coordinator has accepted into the current transaction.
    private(set) var partitions: Set<TopicPartition> = []
    /// The groups whose offsets joined the current transaction (AddOffsetsToTxn).
    private(set) var groups: Set<String> = []

    /// Whether the coordinator has anything of the transaction: one that never added a partition
    /// or a group ends without EndTxn, as in Kafka's clients.
    var reachedCoordinator: Bool { !partitions.isEmpty || !groups.isEmpty }

    static func severity(of error: KafkaError) -> Severity {
        guard let code = error.errorCode else {
            if error.code == .unsupportedVersion || error.code == .shutdown { return .fatal }
            return error.isRetriable ? .retriable : .abortable
        }
        switch code {
        case .producerFenced, .invalidProducerEpoch, .transactionalIdAuthorizationFailed, .invalidTxnState,
            .invalidProducerIdMapping, .transactionCoordinatorFenced, .fencedInstanceId, .unsupportedVersion,
            .clusterAuthorizationFailed:
            return .fatal
        default:
            return code.isRetriable ? .retriable : .abortable
        }
    }

    // MARK: - Transitions

    /// `initTransactions()`: once, or again after an attempt that failed without a fatal error.
    mutating func startInitializing() throws(KafkaError) {
        switch phase {
        case .uninitialized, .initializing: phase = .initializing
        default: throw misuse("initTransactions()", "it was already called")
        }
    }

    mutating func initialized() {
        phase = .ready
    }

    /// An InitProducerId that failed: fatal errors end the producer, others let the caller try again.
    mutating func initializationFailed(_ failure: KafkaError) {
        if Self.severity(of: failure) == .fatal { fail(fatally: failure) }
    }

    mutating func begin() throws(KafkaError) {
        try checkNotFailed()
        guard phase == .ready else {
            throw misuse("beginTransaction()", phase == .uninitialized ? "initTransactions() was not called" : "a transaction is open")
        }
        phase = .inTransaction
    }

    /// Whether a record for `partition` may be sent now; true when the partition must first join
    /// the transaction (AddPartitionsToTxn).
    func needsAdding(_ partition: TopicPartition) throws(KafkaError) -> Bool {
        try checkNotFailed()
        guard phase == .inTransaction else { throw misuse("send", "no transaction is open (call beginTransaction() first)") }
        return !partitions.contains(partition)
    }

    /// `sendOffsetsToTransaction`: whether the group must first join the transaction (AddOffsetsToTxn).
    func needsAdding(group: String) throws(KafkaError) -> Bool {
        try checkNotFailed()
        guard phase == .inTransaction else {
            throw misuse("sendOffsetsToTransaction()", "no transaction is open (call beginTransaction() first)")
        }
        return !groups.contains(group)
    }

    mutating func added(_ added: some Sequence<TopicPartition>) {
        partitions.formUnion(added)
    }

    mutating func added(group: String) {
        groups.insert(group)
    }

    /// `commitTransaction()`: from an open transaction, or again after a commit that failed with
    /// a retriable error. A transaction with an abortable error must be aborted instead.
    mutating func startCommit() throws(KafkaError) {
        try checkNotFailed()
        guard phase == .inTransaction || phase == .committing else {
            throw misuse("commitTransaction()", "no transaction is open")
        }
        phase = .committing
    }

    /// `abortTransaction()`: from an open transaction, one with an abortable error, or again
    /// after an abort that failed with a retriable error.
    mutating func startAbort() throws(KafkaError) {
        if phase == .fatalError, let error { throw error }
        guard [.inTransaction, .abortableError, .aborting].contains(phase) else {
            throw misuse("abortTransaction()", "no transaction is open")
        }
        phase = .aborting
    }

    /// The transaction ended (EndTxn answered, or it never reached the coordinator).
    mutating func completed() {
        phase = .ready
        error = nil
        partitions = []
        groups = []
    }

    /// A request of the transaction or a batch sent in it failed for good: fatal errors end the
    /// producer, others make the open transaction abortable. A retriable error that ran out of
    /// time leaves a commit or abort to be called again.
    mutating func failed(_ failure: KafkaError) {
        switch Self.severity(of: failure) {
        case .fatal:
            fail(fatally: failure)
        case .abortable:
            if phase == .inTransaction || phase == .committing {
                phase = .abortableError
                error = failure
            }
        case .retriable:
            if phase == .inTransaction {
                phase = .abortableError
                error = failure
            }
        }
    }

    /// A record of the transaction failed (after its retries): the transaction cannot commit
    /// without it, whatever the error, unless the error ends the producer.
    mutating func batchFailed(_ failure: KafkaError) {
        if Self.severity(of: failure) == .fatal {
            fail(fatally: failure)
        } else if phase == .inTransaction || phase == .committing {
            phase = .abortableError
            error = failure
        }
    }

    private mutating func fail(fatally failure: KafkaError) {
        phase = .fatalError
        error = failure
    }

    private func checkNotFailed() throws(KafkaError) {
        guard phase == .abortableError || phase == .fatalError, var error else { return }
        if phase == .abortableError {
            error.message = "the transaction must be aborted: \(error.message)"
        }
        throw error
    }

    private func misuse(_ call: String, _ reason: String) -> KafkaError {
        KafkaError(.illegalState, "\(call) is not allowed now: \(reason)")
    }
}
