import KafkaProtocol
import KafkaRecords
import KafkaStorage
import Logging
import Synchronization

/// The transaction coordinator of this broker (Kafka's `TransactionCoordinator` with its marker
/// channel): runs the state machine, persists every change through the store before acting on
/// it, and writes the COMMIT/ABORT markers into each partition of a transaction itself, since all
/// partitions are local. A crash between the markers leaves the transaction in PrepareCommit or
/// PrepareAbort, which `completePreparedTransactions` finishes at start-up (a repeated marker
/// changes nothing in a partition whose transaction it already ended).
final class TransactionCoordinator: Sendable {
    private let state: BrokerState
    private let store: any TransactionStateStore
    private let offsets: OffsetStore
    private let machine: Mutex<TransactionStateMachine>
    private let logger: Logger

    /// The coordinator epoch written into markers: a single coordinator never changes.
    static let coordinatorEpoch: Int32 = 0

    init(state: BrokerState, store: any TransactionStateStore, offsets: OffsetStore) throws {
        self.state = state
        self.store = store
        self.offsets = offsets
        self.logger = state.logger
        let replayed = try store.replay()
        machine = Mutex(
            TransactionStateMachine(maxTimeoutMs: state.configuration.transactionMaxTimeoutMs, replayed: replayed))
        if !replayed.isEmpty { logger.info("Loaded \(replayed.count) transactional ids from \(Topic.transactionState)") }
    }

    /// Metadata of every transactional id, for DescribeTransactions, ListTransactions and tools.
    var transactions: [TransactionMetadata] {
        machine.withLock { Array($0.transactions.values) }.sorted { $0.transactionalId < $1.transactionalId }
    }

    // MARK: - Requests

    /// InitProducerId with a transactional id: the producer id and epoch, or the error.
    func initProducerId(
        transactionalId: String, timeoutMs: Int32, expected: (producerId: Int64, epoch: Int16)?
    ) async -> Result<TransactionMetadata, TransactionFailure> {
        let outcome: TransactionStateMachine.InitOutcome
        do {
            outcome = try mutate { machine in
                try machine.initProducerId(
                    transactionalId: transactionalId, timeoutMs: timeoutMs, expected: expected, nowMs: WallClock.milliseconds(),
                    allocateProducerId: state.producerIds.allocate)
            } persisting: {
                switch $0 {
                case .ready(let metadata), .abortFirst(let metadata): metadata
                }
            }
            try await store.waitUntilDurable(transactionalId: transactionalId)
        } catch {
            return .failure(Self.failure(error, logger: logger))
        }
        switch outcome {
        case .ready(let metadata):
            return .success(metadata)
        case .abortFirst(let metadata):
            logger.info("Aborting the open transaction of '\(transactionalId)' for a new producer instance")
            await writeMarkersAndComplete(metadata)
            return .failure(TransactionFailure(.concurrentTransactions))
        }
    }

    /// AddPartitionsToTxn (and AddOffsetsToTxn with the group's offsets partition).
    func addPartitions(
        transactionalId: String, producerId: Int64, producerEpoch: Int16, _ partitions: Set<TopicPartition>
    ) async -> TransactionFailure? {
        do {
            _ = try mutate { machine in
                try machine.addPartitions(
                    transactionalId: transactionalId, producerId: producerId, producerEpoch: producerEpoch, partitions,
                    nowMs: WallClock.milliseconds())
            } persisting: {
                $0
            }
            try await store.waitUntilDurable(transactionalId: transactionalId)
            return nil
        } catch {
            return Self.failure(error, logger: logger)
        }
    }

    /// EndTxn: persists the decision, writes every marker, then persists the completion.
    func endTransaction(
        transactionalId: String, producerId: Int64, producerEpoch: Int16, commit: Bool
    ) async -> TransactionFailure? {
        let outcome: TransactionStateMachine.EndOutcome
        do {
            outcome = try mutate { machine in
                try machine.endTransaction(
                    transactionalId: transactionalId, producerId: producerId, producerEpoch: producerEpoch, commit: commit,
                    nowMs: WallClock.milliseconds())
            } persisting: {
                if case .writeMarkers(let metadata) = $0 { metadata } else { nil }
            }
        } catch {
            return Self.failure(error, logger: logger)
        }
        guard case .writeMarkers(let metadata) = outcome else { return nil }
        do {
            try await store.waitUntilDurable(transactionalId: transactionalId)
        } catch {
            return Self.failure(error, logger: logger)
        }
        return await writeMarkersAndComplete(metadata) ? nil : TransactionFailure(.kafkaStorageError)
    }

    /// Whether a transactional Produce batch of this producer may go to `partition`.
    func checkProduce(producerId: Int64, producerEpoch: Int16, partition: TopicPartition) -> ErrorCode? {
        machine.withLock { $0.checkProduce(producerId: producerId, producerEpoch: producerEpoch, partition: partition) }
    }

    /// The producer owns this transactional id and its transaction is open, for TxnOffsetCommit.
    func checkOffsetCommit(transactionalId: String, producerId: Int64, producerEpoch: Int16, group: String) -> ErrorCode? {
        machine.withLock { machine in
            guard let metadata = machine.transactions[transactionalId], metadata.producerId == producerId else {
                return .invalidProducerIdMapping
            }
            if producerEpoch != metadata.producerEpoch { return .producerFenced }
            guard metadata.state == .ongoing, metadata.partitions.contains(offsetsPartition(forGroup: group)) else {
                return .invalidTxnState
            }
            return nil
        }
    }

    /// The `__consumer_offsets` partition AddOffsetsToTxn adds for a group.
    func offsetsPartition(forGroup group: String) -> TopicPartition {
        let count = Int32(state.topics.topic(named: Topic.consumerOffsets)?.partitions.count ?? 0)
        return TopicPartition(
            topic: Topic.consumerOffsets,
            partition: count > 0 ? ConsumerOffsetsRecord.partition(forGroup: group, partitionCount: count) : 0)
    }

    // MARK: - Background work

    /// Aborts transactions past their timeout (fencing their producers) and removes idle ids,
    /// every `transaction.abort.timed.out.transaction.cleanup.interval.ms`.
    func expireTransactions() async {
        let nowMs = WallClock.milliseconds()
        let expired: [TransactionMetadata]
        do {
            expired = try mutateAll { $0.expireTimedOut(nowMs: nowMs) }
        } catch {
            logger.error("Could not persist the abort of timed-out transactions: \(error)")
            return
        }
        for metadata in expired {
            logger.info(
                "Aborting transaction of '\(metadata.transactionalId)': it ran longer than \(metadata.timeoutMs) ms",
                metadata: ["producerId": "\(metadata.producerId)"])
            await writeMarkersAndComplete(metadata)
        }
        let idle = machine.withLock { $0.expireIdle(nowMs: nowMs, expirationMs: Int64(state.configuration.transactionalIdExpirationMs)) }
        for transactionalId in idle {
            do {
                try store.write(TransactionLogRecord(transactionalId: transactionalId, metadata: nil))
            } catch {
                logger.error("Could not remove expired transactional id '\(transactionalId)': \(error)")
            }
        }
    }

    /// Finishes transactions a crash left between their decision and their last marker.
    func completePreparedTransactions() async {
        let preparing = machine.withLock { $0.transactions.values.filter(\.state.isPreparing) }
        for metadata in preparing.sorted(by: { $0.transactionalId < $1.transactionalId }) {
            logger.info("Completing the \(metadata.state.name) transaction of '\(metadata.transactionalId)' left by the last run")
            await writeMarkersAndComplete(metadata)
        }
    }

    // MARK: - Markers

    /// Writes the marker into every partition of the transaction, then persists the completion.
    /// Returns false when a marker could not be written: the transaction stays prepared and is
    /// completed at the next start.
    @discardableResult
    private func writeMarkersAndComplete(_ metadata: TransactionMetadata) async -> Bool {
        let commit = metadata.state == .prepareCommit
        let marker = ControlRecord(type: commit ? .commit : .abort, coordinatorEpoch: Self.coordinatorEpoch)
        var flushes: [(PartitionLog, Int64)] = []
        for partition in metadata.partitions.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
            guard let log = state.topics.log(partition.topic, partition.partition) else { continue }
            do {
                let appended = try log.appendMarker(
                    marker, producerId: metadata.producerId, producerEpoch: metadata.producerEpoch,
                    timestampMs: WallClock.milliseconds())
                flushes.append((log, appended.lastOffset))
                if partition.topic == Topic.consumerOffsets {
                    offsets.completeTransaction(
                        producerId: metadata.producerId, commit: commit, offsetsPartition: partition.partition,
                        partitionCount: Int32(state.topics.topic(named: Topic.consumerOffsets)?.partitions.count ?? 1))
                }
                state.appendNotifier.notifyAppend(to: log.topicPartition)
            } catch {
                logger.error("Could not write the \(marker.type) marker of '\(metadata.transactionalId)' to \(partition): \(error)")
                return false
            }
        }
        do {
            for (log, offset) in flushes { try await state.flusher.waitForFlush(of: log, upTo: offset) }
            _ = try mutate { machine in
                machine.completeMarkers(transactionalId: metadata.transactionalId, nowMs: WallClock.milliseconds())
            } persisting: {
                $0
            }
            try await store.waitUntilDurable(transactionalId: metadata.transactionalId)
            return true
        } catch {
            logger.error("Could not complete the transaction of '\(metadata.transactionalId)': \(error)")
            return false
        }
    }

    // MARK: - Persisting under the lock

    /// Runs a transition and writes the metadata it produced while still holding the lock, so
    /// that records of one id are written in the order of its transitions.
    private func mutate<Outcome>(
        _ transition: (inout TransactionStateMachine) throws -> Outcome,
        persisting metadataOf: (Outcome) -> TransactionMetadata?
    ) throws -> Outcome {
        try machine.withLock { machine in
            let outcome = try transition(&machine)
            if let metadata = metadataOf(outcome) {
                try store.write(TransactionLogRecord(transactionalId: metadata.transactionalId, metadata: metadata))
            }
            return outcome
        }
    }

    private func mutateAll(_ transition: (inout TransactionStateMachine) -> [TransactionMetadata]) throws -> [TransactionMetadata] {
        try machine.withLock { machine in
            let changed = transition(&machine)
            for metadata in changed {
                try store.write(TransactionLogRecord(transactionalId: metadata.transactionalId, metadata: metadata))
            }
            return changed
        }
    }

    private static func failure(_ error: any Error, logger: Logger) -> TransactionFailure {
        if let failure = error as? TransactionFailure { return failure }
        logger.error("Transaction state could not be stored: \(error)")
        return TransactionFailure(.coordinatorNotAvailable)
    }
}
