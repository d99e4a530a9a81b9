import KafkaProtocol
import KafkaRecords
import KafkaStorage
import Logging
import NIOCore
import Synchronization

/// Committed offsets of every group, kept in memory and written to the internal compacted topic
/// `__consumer_offsets` (one partition per group, chosen as Kafka does), which is replayed at
/// start-up. Group metadata records go to the same partition, so one replay restores both.
/// Offsets committed inside a transaction (TxnOffsetCommit) are written as transactional
/// batches and stay pending until the transaction's marker reaches the group's partition.
final class OffsetStore: Sendable {
    let state: BrokerState
    private let offsets = Mutex<[String: [TopicPartition: CommittedOffset]]>([:])
    /// Producer id → group → offsets its open transaction committed.
    let pendingTransactionalOffsets = Mutex<[Int64: [String: [TopicPartition: CommittedOffset]]]>([:])

    init(state: BrokerState) {
        self.state = state
    }

    // MARK: - Reading

    func committedOffsets(group: String) -> [TopicPartition: CommittedOffset] {
        offsets.withLock { $0[group] ?? [:] }
    }

    /// Groups that have committed offsets, with or without members.
    var groupsWithOffsets: [String] {
        offsets.withLock { Array($0.keys) }
    }

    // MARK: - Writing

    func commit(group: String, _ commits: [(TopicPartition, CommittedOffset)]) async throws {
        guard !commits.isEmpty else { return }
        try await append(commits.map { .offsetCommit(group: group, partition: $0.0, $0.1) }, group: group)
        applyCommitted(group: group, commits)
    }

    /// Makes offsets visible once their records are written (and, inside a transaction, committed).
    func applyCommitted(group: String, _ commits: some Sequence<(TopicPartition, CommittedOffset)>) {
        offsets.withLock { offsets in
            for (partition, committed) in commits { offsets[group, default: [:]][partition] = committed }
        }
    }

    /// Removes offsets (all of the group's when `partitions` is nil), writing tombstones.
    func deleteOffsets(group: String, partitions: [TopicPartition]? = nil) async throws {
        let removed = offsets.withLock { offsets -> [TopicPartition] in
            let existing = Array((offsets[group] ?? [:]).keys)
            let removed = partitions.map { requested in existing.filter(requested.contains) } ?? existing
            for partition in removed { offsets[group]?[partition] = nil }
            if offsets[group]?.isEmpty == true { offsets[group] = nil }
            return removed
        }
        guard !removed.isEmpty else { return }
        try await append(removed.map { .offsetCommit(group: group, partition: $0, nil) }, group: group)
    }

    /// Writes a group's metadata (or its tombstone) without waiting for the fsync: called while the
    /// coordinator holds its lock, so that records of one group are written in event order.
    func persistGroup(_ snapshot: GroupMetadataSnapshot?, group: String) throws {
        let record = ConsumerOffsetsRecord.groupMetadata(group: group, snapshot, stateTimestampMs: WallClock.milliseconds())
        _ = try appendWithoutFlush([record], group: group)
    }

    private func append(_ records: [ConsumerOffsetsRecord], group: String) async throws {
        let (log, lastOffset) = try appendWithoutFlush(records, group: group)
        try await state.flusher.waitForFlush(of: log, upTo: lastOffset)
    }

    func appendWithoutFlush(
        _ records: [ConsumerOffsetsRecord], group: String, transactionalProducer: (id: Int64, epoch: Int16)? = nil
    ) throws -> (PartitionLog, Int64) {
        let log = try offsetsLog(forGroup: group)
        let now = WallClock.milliseconds()
        var builder = RecordBatchBuilder()
        if let transactionalProducer {
            builder.producerId = transactionalProducer.id
            builder.producerEpoch = transactionalProducer.epoch
            builder.isTransactional = true
        }
        for record in records {
            builder.append(timestamp: now, key: record.key, value: record.value)
        }
        let appended = try log.append(try builder.build(), appendTimeMs: now)
        state.appendNotifier.notifyAppend(to: log.topicPartition)
        return (log, appended.lastOffset)
    }

    /// The `__consumer_offsets` partition of a group, creating the topic on first use as Kafka does.
    func offsetsLog(forGroup group: String) throws -> PartitionLog {
        let topic = try offsetsTopic()
        let partition = ConsumerOffsetsRecord.partition(forGroup: group, partitionCount: Int32(topic.partitions.count))
        return topic.partitions[Int(partition)]
    }

    func offsetsTopic() throws(TopicError) -> Topic {
        if let topic = state.topics.topic(named: Topic.consumerOffsets) { return topic }
        do {
            return try state.topics.create(
                name: Topic.consumerOffsets, partitions: state.configuration.offsetsTopicNumPartitions, replicationFactor: 1,
                overrides: ["cleanup.policy": "compact", "segment.bytes": "\(state.configuration.offsetsTopicSegmentBytes)"])
        } catch  where error.code == .topicAlreadyExists {
            return state.topics.topic(named: Topic.consumerOffsets)!
        }
    }

    /// Removes the offsets of groups without members that nobody committed for `retentionMs`
    /// (Kafka's `offsets.retention.minutes`); returns the groups whose offsets all expired.
    func expireOffsets(nowMs: Int64, retentionMs: Int64, activeGroups: Set<String>) async -> [String] {
        let expired = offsets.withLock { offsets -> [String: [TopicPartition]] in
            var expired: [String: [TopicPartition]] = [:]
            for (group, committed) in offsets where !activeGroups.contains(group) {
                let old = committed.filter { nowMs - $0.value.commitTimestampMs >= retentionMs }.map(\.key)
                if !old.isEmpty { expired[group] = old }
            }
            return expired
        }
        var emptied: [String] = []
        for (group, partitions) in expired {
            do {
                try await deleteOffsets(group: group, partitions: partitions)
                if committedOffsets(group: group).isEmpty { emptied.append(group) }
            } catch {
                state.logger.error("Expiring offsets of group \(group) failed: \(error)")
            }
        }
        return emptied
    }

    // MARK: - Start-up

    /// Replays `__consumer_offsets`: restores every committed offset and returns the last metadata
    /// of each group that still exists.
    func replay() throws -> [GroupMetadataSnapshot] {
        guard let topic = state.topics.topic(named: Topic.consumerOffsets) else { return [] }
        var committed: [String: [TopicPartition: CommittedOffset]] = [:]
        var pending: [Int64: [String: [TopicPartition: CommittedOffset]]] = [:]
        var groups: [String: GroupMetadataSnapshot] = [:]
        for log in topic.partitions {
            try log.forEachStoredBatch { batch in
                let attributes = batch.header.attributes
                if attributes.isControl {
                    let marker = try ControlRecord(batch: batch)
                    let decided = pending.removeValue(forKey: batch.header.producerId) ?? [:]
                    if marker.type == .commit {
                        for (group, commits) in decided { committed[group, default: [:]].merge(commits) { _, new in new } }
                    }
                    return
                }
                for record in try batch.records() {
                    guard let key = record.key,
                        let decoded = try ConsumerOffsetsRecord(key: key, value: record.value)
                    else { continue }
                    switch decoded {
                    case .offsetCommit(let group, let partition, let value) where attributes.isTransactional:
                        pending[batch.header.producerId, default: [:]][group, default: [:]][partition] = value
                    case .offsetCommit(let group, let partition, let value):
                        committed[group, default: [:]][partition] = value
                        if committed[group]?.isEmpty == true { committed[group] = nil }
                    case .groupMetadata(let group, let snapshot, _):
                        groups[group] = snapshot
                    }
                }
            }
        }
        offsets.withLock { $0 = committed }
        pendingTransactionalOffsets.withLock { $0 = pending }
        return groups.values.sorted { $0.groupId < $1.groupId }
    }
}
