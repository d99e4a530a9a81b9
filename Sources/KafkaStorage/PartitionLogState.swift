/// Everything about a partition log that changes, kept behind the `PartitionLog`'s lock.
struct PartitionLogState: Sendable {
    var configuration: LogConfiguration
    /// Ordered by base offset; never empty. The last one takes appends.
    var segments: [LogSegment]
    var logStartOffset: Int64
    /// Everything below this offset was fsync'd (Kafka's recovery point).
    var flushedOffset: Int64
    var producerState: ProducerStateManager
    var transactions = PartitionTransactions()
    /// The `.txnindex` of each segment that has aborted transactions, by base offset.
    var transactionIndexes: [Int64: IndexFile<AbortedTransaction>] = [:]
    /// Records appended since the last flush began, for `flush.messages`.
    var unflushedMessages: Int64 = 0
    /// When the last flush finished, for `flush.ms`.
    var lastFlush: ContinuousClock.Instant = .now
    /// A segment was created since the folder was last fsync'd.
    var directoryNeedsSync = false
    /// Set by a failed write that could not be undone or by a failed fsync: what is on disk is
    /// unknown, so the log takes no more writes.
    var failure: StorageError?
    var isClosed = false
    /// Offsets below this were compacted by the last compaction (Kafka's cleaner checkpoint). Kept
    /// in memory only: after a restart the whole log counts as dirty, which costs one compaction.
    var firstDirtyOffset: Int64 = 0
    /// When the oldest tombstone the last compaction kept becomes droppable; nil when none is.
    var nextTombstoneExpiryMs: Int64?

    var logEndOffset: Int64 { segments[segments.count - 1].nextOffset }

    var lastStableOffset: Int64 { transactions.lastStableOffset(highWatermark: logEndOffset) }

    var sizeInBytes: Int64 { segments.reduce(0) { $0 + Int64($1.size) } }

    /// Throws unless appends and flushes may proceed.
    func checkWritable() throws(StorageError) {
        try checkOpen()
        if let failure {
            throw StorageError(.logFailed, "an earlier write or fsync failed: \(failure.detail)", path: failure.path)
        }
    }

    func checkOpen() throws(StorageError) {
        if isClosed { throw StorageError(.logClosed, "the log is closed") }
    }

    /// The index of the last segment whose base offset is at most `offset` (the first segment
    /// when `offset` is below all).
    func segmentIndex(forOffset offset: Int64) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].baseOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return max(low - 1, 0)
    }
}

extension PartitionLogState {
    /// How many of the oldest segments hold only offsets below the log start offset: those the
    /// next segment starts at or before it. Never the active segment.
    var segmentsBelowLogStartOffset: Int {
        var count = 0
        while count + 1 < segments.count && segments[count + 1].baseOffset <= logStartOffset { count += 1 }
        return count
    }
}
