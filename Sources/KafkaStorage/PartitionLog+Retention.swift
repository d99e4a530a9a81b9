import Logging
import Synchronization

extension PartitionLog {
    /// Deletes the oldest closed segments that lie wholly below the log start offset and, for
    /// `cleanup.policy` including `delete`, those whose newest record is older than
    /// `retention.ms`, then more of the oldest while the log is larger than `retention.bytes`
    /// (Kafka's `deleteLogStartOffsetBreachedSegments`, `deleteRetentionMsBreachedSegments` and
    /// `deleteRetentionSizeBreachedSegments`). The active segment always stays. The log start
    /// offset moves to the first remaining segment when that lies beyond it. Returns how many
    /// segments were deleted.
    @discardableResult
    public func applyRetention(nowMs: Int64) throws(StorageError) -> Int {
        try removeOldestSegments(reason: "retention") { state in
            var count = state.segmentsBelowLogStartOffset
            let configuration = state.configuration
            guard configuration.cleanupPolicy.contains(.delete) else { return count }
            let closedCount = state.segments.count - 1
            if configuration.retentionMs >= 0 {
                while count < closedCount && nowMs - state.segments[count].maxTimestamp > configuration.retentionMs {
                    count += 1
                }
            }
            if configuration.retentionBytes >= 0 {
                var excess = state.sizeInBytes - configuration.retentionBytes
                for segment in state.segments[..<count] { excess -= Int64(segment.size) }
                while count < closedCount && excess - Int64(state.segments[count].size) >= 0 {
                    excess -= Int64(state.segments[count].size)
                    count += 1
                }
            }
            return count
        }
    }

    /// Deletes the closed segments that lie wholly below the log start offset, as soon as
    /// DeleteRecords has moved it, rather than at the next retention pass.
    @discardableResult
    public func deleteSegmentsBelowLogStartOffset() throws(StorageError) -> Int {
        try removeOldestSegments(reason: "the log start offset") { $0.segmentsBelowLogStartOffset }
    }

    /// Removes the `count(state)` oldest segments from the log, then their files.
    private func removeOldestSegments(
        reason: String, count: (PartitionLogState) -> Int
    ) throws(StorageError) -> Int {
        try maintenanceLock.withLock { _ throws(StorageError) -> Int in
            let removed = try state.withLock { (state) throws(StorageError) -> [LogSegment] in
                try state.checkOpen()
                let count = count(state)
                guard count > 0 else { return [] }
                let removed = Array(state.segments[..<count])
                state.segments.removeFirst(count)
                state.logStartOffset = max(state.logStartOffset, state.segments[0].baseOffset)
                state.transactions.removeAborted(below: state.segments[0].baseOffset)
                for segment in removed { state.transactionIndexes[segment.baseOffset] = nil }
                return removed
            }
            for segment in removed {
                logger.info(
                    "Deleting segment \(segment.baseOffset) (\(segment.size) bytes, largest timestamp \(segment.maxTimestamp)) due to \(reason)"
                )
                try LogSegment.removeFiles(in: directory, baseOffset: segment.baseOffset, fileSystem: fileSystem)
            }
            if !removed.isEmpty { try fileSystem.syncDirectory(atPath: directory) }
            return removed.count
        }
    }
}
