import KafkaProtocol
import KafkaStorage

/// Why the coordinator refused a request, as a Kafka error code.
struct TransactionFailure: Error, Hashable, Sendable {
    var code: ErrorCode

    init(_ code: ErrorCode) {
        self.code = code
    }
}

/// The transaction coordinator's decisions, without I/O (Kafka's `TransactionCoordinator` and
/// `TransactionMetadata` transitions): each request either fails with a Kafka error or changes
/// one transactional id's metadata, which the caller persists and acts on (markers).
struct TransactionStateMachine: Sendable {
    /// `transaction.max.timeout.ms`: a producer asking for more gets INVALID_TRANSACTION_TIMEOUT.
    let maxTimeoutMs: Int32
    private(set) var transactions: [String: TransactionMetadata] = [:]

    init(maxTimeoutMs: Int32, replayed: [TransactionMetadata] = []) {
        self.maxTimeoutMs = maxTimeoutMs
        for metadata in replayed { transactions[metadata.transactionalId] = metadata }
    }

    /// What InitProducerId leads to.
    enum InitOutcome: Hashable, Sendable {
        /// The producer may start: this id and epoch are its own, older instances are fenced.
        case ready(TransactionMetadata)
        /// A transaction of an earlier instance is open: it is aborted under a bumped epoch
        /// (which fences that instance) and the producer retries (CONCURRENT_TRANSACTIONS).
        case abortFirst(TransactionMetadata)
    }

    /// InitProducerId with a transactional id. `expected` is the (producer id, epoch) a v3+
    /// producer already has, for the KIP-360 bump; `allocateProducerId` gives a fresh id for a
    /// new transactional id or one whose epoch is exhausted.
    mutating func initProducerId(
        transactionalId: String, timeoutMs: Int32, expected: (producerId: Int64, epoch: Int16)?, nowMs: Int64,
        allocateProducerId: () throws -> Int64
    ) throws -> InitOutcome {
        guard timeoutMs > 0, timeoutMs <= maxTimeoutMs else { throw TransactionFailure(.invalidTransactionTimeout) }
        guard var metadata = transactions[transactionalId], metadata.state != .dead else {
            let metadata = TransactionMetadata(
                transactionalId: transactionalId, producerId: try allocateProducerId(), producerEpoch: 0, timeoutMs: timeoutMs,
                state: .empty, partitions: [], startTimestampMs: -1, lastUpdateTimestampMs: nowMs)
            transactions[transactionalId] = metadata
            return .ready(metadata)
        }
        if metadata.state.isPreparing { throw TransactionFailure(.concurrentTransactions) }
        if let expected, expected.producerId != metadata.producerId || !Self.isCurrentOrRetried(expected.epoch, of: metadata) {
            throw TransactionFailure(.producerFenced)
        }
        if let expected, expected.epoch == metadata.producerEpoch - 1, metadata.state != .ongoing {
            // A retry of an InitProducerId that was answered already.
            return .ready(metadata)
        }
        if metadata.state == .ongoing {
            try bumpEpoch(of: &metadata, allocateProducerId: allocateProducerId)
            metadata.state = .prepareAbort
            metadata.lastUpdateTimestampMs = nowMs
            transactions[transactionalId] = metadata
            return .abortFirst(metadata)
        }
        try bumpEpoch(of: &metadata, allocateProducerId: allocateProducerId)
        metadata.timeoutMs = timeoutMs
        metadata.state = .empty
        metadata.partitions = []
        metadata.startTimestampMs = -1
        metadata.lastUpdateTimestampMs = nowMs
        transactions[transactionalId] = metadata
        return .ready(metadata)
    }

    /// AddPartitionsToTxn and AddOffsetsToTxn (with the group's offsets partition): opens the
    /// transaction on its first partition and starts its timeout.
    mutating func addPartitions(
        transactionalId: String, producerId: Int64, producerEpoch: Int16, _ partitions: Set<TopicPartition>, nowMs: Int64
    ) throws(TransactionFailure) -> TransactionMetadata {
        var metadata = try owned(transactionalId, producerId: producerId, producerEpoch: producerEpoch)
        if metadata.state.isPreparing { throw TransactionFailure(.concurrentTransactions) }
        if metadata.state != .ongoing {
            metadata.state = .ongoing
            metadata.partitions = []
            metadata.startTimestampMs = nowMs
        }
        metadata.partitions.formUnion(partitions)
        metadata.lastUpdateTimestampMs = nowMs
        transactions[transactionalId] = metadata
        return metadata
    }

    /// What EndTxn leads to.
    enum EndOutcome: Hashable, Sendable {
        /// Write the markers, then `completeMarkers`.
        case writeMarkers(TransactionMetadata)
        /// A retry of an EndTxn that completed already.
        case alreadyComplete
    }

    mutating func endTransaction(
        transactionalId: String, producerId: Int64, producerEpoch: Int16, commit: Bool, nowMs: Int64
    ) throws(TransactionFailure) -> EndOutcome {
        var metadata = try owned(transactionalId, producerId: producerId, producerEpoch: producerEpoch)
        switch (metadata.state, commit) {
        case (.ongoing, _):
            metadata.state = commit ? .prepareCommit : .prepareAbort
            metadata.lastUpdateTimestampMs = nowMs
            transactions[transactionalId] = metadata
            return .writeMarkers(metadata)
        case (.completeCommit, true), (.completeAbort, false):
            return .alreadyComplete
        case (.prepareCommit, true), (.prepareAbort, false):
            throw TransactionFailure(.concurrentTransactions)
        case (.empty, false):
            // Aborting a transaction that never added a partition (clients do on errors).
            return .alreadyComplete
        default:
            throw TransactionFailure(.invalidTxnState)
        }
    }

    /// Once every marker is written: the transaction is complete and its partitions forgotten.
    mutating func completeMarkers(transactionalId: String, nowMs: Int64) -> TransactionMetadata? {
        guard var metadata = transactions[transactionalId] else { return nil }
        switch metadata.state {
        case .prepareCommit: metadata.state = .completeCommit
        case .prepareAbort, .prepareEpochFence: metadata.state = .completeAbort
        default: return nil
        }
        metadata.partitions = []
        metadata.startTimestampMs = -1
        metadata.lastUpdateTimestampMs = nowMs
        transactions[transactionalId] = metadata
        return metadata
    }

    /// Transactions past their timeout, moved to PrepareAbort under a bumped epoch so their
    /// producer is fenced (Kafka's `abortTimedOutTransactions`). An exhausted epoch keeps its
    /// value: the abort still completes, and the producer's next InitProducerId gets a new id.
    mutating func expireTimedOut(nowMs: Int64) -> [TransactionMetadata] {
        var expired: [TransactionMetadata] = []
        for (transactionalId, var metadata) in transactions where metadata.hasExpired(nowMs: nowMs) {
            if metadata.producerEpoch < Int16.max - 1 { metadata.producerEpoch += 1 }
            metadata.state = .prepareAbort
            metadata.lastUpdateTimestampMs = nowMs
            transactions[transactionalId] = metadata
            expired.append(metadata)
        }
        return expired.sorted { $0.transactionalId < $1.transactionalId }
    }

    /// Transactional ids idle (no transaction open) for longer than `expirationMs`
    /// (`transactional.id.expiration.ms`): they become Dead, and the caller writes their tombstones.
    mutating func expireIdle(nowMs: Int64, expirationMs: Int64) -> [String] {
        let idle = transactions.values.filter {
            ($0.state == .empty || $0.state == .completeCommit || $0.state == .completeAbort)
                && nowMs - $0.lastUpdateTimestampMs > expirationMs
        }.map(\.transactionalId).sorted()
        for transactionalId in idle { transactions[transactionalId] = nil }
        return idle
    }

    /// Whether a transactional Produce from this producer may write to `partition`: its
    /// transaction is open and has added the partition.
    func checkProduce(producerId: Int64, producerEpoch: Int16, partition: TopicPartition) -> ErrorCode? {
        guard let metadata = transactions.values.first(where: { $0.producerId == producerId }) else {
            return .invalidProducerIdMapping
        }
        if producerEpoch < metadata.producerEpoch { return .invalidProducerEpoch }
        guard metadata.state == .ongoing, producerEpoch == metadata.producerEpoch, metadata.partitions.contains(partition)
        else { return .invalidTxnState }
        return nil
    }

    /// The metadata of an id the request's producer owns: INVALID_PRODUCER_ID_MAPPING for an
    /// unknown id or another producer id, PRODUCER_FENCED for another epoch.
    private func owned(
        _ transactionalId: String, producerId: Int64, producerEpoch: Int16
    ) throws(TransactionFailure) -> TransactionMetadata {
        guard let metadata = transactions[transactionalId], metadata.state != .dead, metadata.producerId == producerId else {
            throw TransactionFailure(.invalidProducerIdMapping)
        }
        guard producerEpoch == metadata.producerEpoch else { throw TransactionFailure(.producerFenced) }
        return metadata
    }

    private static func isCurrentOrRetried(_ epoch: Int16, of metadata: TransactionMetadata) -> Bool {
        epoch == metadata.producerEpoch || epoch == metadata.producerEpoch - 1
    }

    /// A new epoch, or a new producer id at epoch 0 once the epoch would overflow.
    private func bumpEpoch(of metadata: inout TransactionMetadata, allocateProducerId: () throws -> Int64) throws {
        if metadata.producerEpoch >= Int16.max - 1 {
            metadata.producerId = try allocateProducerId()
            metadata.producerEpoch = 0
        } else {
            metadata.producerEpoch += 1
        }
    }
}
