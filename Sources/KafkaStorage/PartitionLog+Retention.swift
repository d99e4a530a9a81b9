import Synchronization
import Logging

extension PartitionLog {
    /// For `cleanup.policy` including `delete`: deletes the oldest closed segments whose newest
    /// record is older than `retention.ms`, then more of the oldest while the log is larger than
    /// `retention.bytes` (Kafka's `deleteRetentionMsBreachedSegments` and
    /// `deleteRetentionSizeBreachedSegments`). The active segment always stays. The log start
    /// offset moves to the first remaining segment. Returns how many segments were deleted.
    @discardableResult
    public func applyRetention(nowMs: Int64) throws(StorageError) -> Int {
        try maintenanceLock.withLock { _ throws(StorageError) -> Int in
            let removed = try state.withLock { (state) throws(StorageError) -> [LogSegment] in
                try state.checkOpen()
                let configuration = state.configuration
                guard configuration.cleanupPolicy.contains(.delete) else { return [] }
                let closedCount = state.segments.count - 1
                var count = 0
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
                guard count > 0 else { return [] }
                let removed = Array(state.segments[..<count])
                state.segments.removeFirst(count)
                state.logStartOffset = max(state.logStartOffset, state.segments[0].baseOffset)
                return removed
            }
            for segment in removed {
                logger.info(
                    "Deleting segment \(segment.baseOffset) (\(segment.size) bytes, largest timestamp \(segment.maxTimestamp)) due to retention")
                try LogSegment.removeFiles(in: directory, baseOffset: segment.baseOffset, fileSystem: fileSystem)
            }
            if !removed.isEmpty { try fileSystem.syncDirectory(atPath: directory) }
            return removed.count
        }
    }
}
