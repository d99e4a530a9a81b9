import KafkaStorage
import Synchronization

extension OffsetStore {
    /// TxnOffsetCommit: writes the offsets as a transactional batch of the producer and keeps them
    /// pending, invisible to OffsetFetch, until `completeTransaction`.
    func commitTransactional(
        group: String, producerId: Int64, producerEpoch: Int16, _ commits: [(TopicPartition, CommittedOffset)]
    ) async throws {
        guard !commits.isEmpty else { return }
        let (log, lastOffset) = try appendWithoutFlush(
            commits.map { .offsetCommit(group: group, partition: $0.0, $0.1) }, group: group,
            transactionalProducer: (producerId, producerEpoch))
        pendingTransactionalOffsets.withLock { pending in
            for (partition, committed) in commits { pending[producerId, default: [:]][group, default: [:]][partition] = committed }
        }
        try await state.flusher.waitForFlush(of: log, upTo: lastOffset)
    }

    /// Once the marker of `producerId`'s transaction is in `__consumer_offsets` partition
    /// `offsetsPartition`: its pending offsets of the groups there become committed (commit) or
    /// are dropped (abort).
    func completeTransaction(producerId: Int64, commit: Bool, offsetsPartition: Int32, partitionCount: Int32) {
        let decided = pendingTransactionalOffsets.withLock { pending -> [String: [TopicPartition: CommittedOffset]] in
            let groups = (pending[producerId] ?? [:]).filter {
                ConsumerOffsetsRecord.partition(forGroup: $0.key, partitionCount: partitionCount) == offsetsPartition
            }
            for group in groups.keys { pending[producerId]?[group] = nil }
            if pending[producerId]?.isEmpty == true { pending[producerId] = nil }
            return groups
        }
        guard commit else { return }
        for (group, commits) in decided { applyCommitted(group: group, commits.map { ($0.key, $0.value) }) }
    }

    /// Whether an open transaction has committed an offset of this group and partition, which a
    /// require_stable OffsetFetch answers with UNSTABLE_OFFSET_COMMIT.
    func hasPendingTransactionalOffset(group: String, partition: TopicPartition) -> Bool {
        pendingTransactionalOffsets.withLock { pending in
            pending.values.contains { $0[group]?[partition] != nil }
        }
    }
}
