extension PartitionLogState {
    /// The closed segments compaction may work on: the oldest ones whose newest record is at least
    /// `min.compaction.lag.ms` old. The active segment never is, as in Kafka.
    func cleanableSegments(nowMs: Int64) -> ArraySlice<LogSegment> {
        let horizon = nowMs - configuration.minCompactionLagMs
        return segments.dropLast().prefix { $0.maxTimestamp <= horizon }
    }

    /// Whether the cleaner should compact now: see `PartitionLog.compactIfDue`.
    func compactionIsDue(nowMs: Int64) -> Bool {
        guard configuration.cleanupPolicy.contains(.compact) else { return false }
        if let expiry = nextTombstoneExpiryMs, nowMs >= expiry { return true }
        let firstDirty = max(firstDirtyOffset, logStartOffset)
        var cleanBytes = 0
        var dirtyBytes = 0
        var oldestDirtyTimestamp: Int64?
        for segment in cleanableSegments(nowMs: nowMs) {
            if segment.nextOffset <= firstDirty {
                cleanBytes += segment.size
            } else {
                dirtyBytes += segment.size
                if oldestDirtyTimestamp == nil { oldestDirtyTimestamp = segment.firstBatchTimestamp }
            }
        }
        guard dirtyBytes > 0 else { return false }
        if let oldest = oldestDirtyTimestamp, oldest >= 0, nowMs - oldest > configuration.maxCompactionLagMs {
            return true
        }
        return Double(dirtyBytes) / Double(cleanBytes + dirtyBytes) >= configuration.minCleanableDirtyRatio
    }
}
