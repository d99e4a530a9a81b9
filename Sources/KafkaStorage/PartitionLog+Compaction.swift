import KafkaRecords
import Logging
import NIOCore
import Synchronization

extension PartitionLog {
    /// The cleaner's look at this log, every `log.cleaner.backoff.ms` (Kafka's LogCleanerManager
    /// choosing a log to clean): compacts when the bytes written since the last compaction reach
    /// `min.cleanable.dirty.ratio` of the cleanable segments, when the oldest of them is older than
    /// `max.compaction.lag.ms`, or when a tombstone the last compaction kept has outlived
    /// `delete.retention.ms`. Returns how many segments were rewritten or deleted.
    @discardableResult
    public func compactIfDue(nowMs: Int64) throws(StorageError) -> Int {
        guard state.withLock({ $0.compactionIsDue(nowMs: nowMs) }) else { return 0 }
        return try compact(nowMs: nowMs)
    }

    /// For `cleanup.policy` including `compact`: in the closed segments whose newest record is at
    /// least `min.compaction.lag.ms` old, keeps only the latest record of each key and drops
    /// tombstones (null values) older than `delete.retention.ms` by their timestamp. This is the
    /// one place storage decodes records. Kept records are rewritten into new batches that keep
    /// the original batch's base offset, offset deltas, timestamps and producer fields, so offsets
    /// and idempotence state survive; an emptied batch disappears, unless it is its producer's
    /// last, which stays as an empty batch (as Kafka) so duplicates are still recognised.
    /// Transaction markers (control batches) are kept whole: their keys are the marker type, not
    /// a record's key.
    ///
    /// Each changed segment is written to `<base>.log.cleaned` (and index files likewise), fsync'd,
    /// then renamed over the original: the replacement is one-to-one, so that rename is the atomic
    /// commit (Kafka's intermediate `.swap` serves many-to-one replacements). Leftover `.cleaned`
    /// files are deleted at load. A segment left without batches is deleted. Returns how many
    /// segments were rewritten or deleted.
    @discardableResult
    public func compact(nowMs: Int64) throws(StorageError) -> Int {
        try maintenanceLock.withLock { _ throws(StorageError) -> Int in
            let plan = try state.withLock { (state) throws(StorageError) -> CompactionPlan? in
                try state.checkWritable()
                let configuration = state.configuration
                guard configuration.cleanupPolicy.contains(.compact) else { return nil }
                let segments = state.cleanableSegments(nowMs: nowMs)
                guard !segments.isEmpty else { return nil }
                return CompactionPlan(
                    segments: Array(segments),
                    tombstoneHorizon: nowMs - configuration.deleteRetentionMs,
                    indexIntervalBytes: configuration.indexIntervalBytes,
                    producersLastOffsets: Set(state.producerState.producers.values.compactMap { $0.batches.last?.lastOffset }))
            }
            guard let plan else { return 0 }
            var latestByKey: [ByteBuffer: CompactionPlan.LatestRecord] = [:]
            var keyedRecordCounts = Array(repeating: 0, count: plan.segments.count)
            for (index, segment) in plan.segments.enumerated() {
                try forEachBatch(in: segment) { batch, records in
                    guard !batch.header.attributes.isControl else { return }
                    for record in records {
                        guard let key = record.key else { continue }
                        keyedRecordCounts[index] += 1
                        let timestamp = record.timestamp(in: batch.header)
                        latestByKey[key] = CompactionPlan.LatestRecord(
                            offset: record.offset(in: batch.header), tombstoneTimestamp: record.value == nil ? timestamp : nil,
                            isExpiredTombstone: record.value == nil && timestamp < plan.tombstoneHorizon)
                    }
                }
            }
            // A segment needs cleaning when fewer of its keyed records survive than it holds.
            var survivorCounts = Array(repeating: 0, count: plan.segments.count)
            for latest in latestByKey.values where !latest.isExpiredTombstone {
                survivorCounts[plan.segmentIndex(forOffset: latest.offset)] += 1
            }
            var changed = 0
            for (index, segment) in plan.segments.enumerated() where survivorCounts[index] < keyedRecordCounts[index] {
                try clean(segment, keeping: latestByKey, plan: plan)
                changed += 1
            }
            let keptTombstones = latestByKey.values.filter { !$0.isExpiredTombstone }.compactMap(\.tombstoneTimestamp)
            let deleteRetentionMs = nowMs - plan.tombstoneHorizon
            state.withLock { state in
                state.firstDirtyOffset = max(state.firstDirtyOffset, plan.segments[plan.segments.count - 1].nextOffset)
                state.nextTombstoneExpiryMs = keptTombstones.min().map { $0 + deleteRetentionMs + 1 }
            }
            return changed
        }
    }

    /// Rewrites one segment without the records that are not their key's latest or are expired
    /// tombstones, and puts the result in its place.
    private func clean(_ segment: LogSegment, keeping latestByKey: [ByteBuffer: CompactionPlan.LatestRecord], plan: CompactionPlan)
        throws(StorageError)
    {
        var cleaned = try LogSegment.open(
            in: directory, baseOffset: segment.baseOffset, fileSystem: fileSystem, suffix: LogFileNames.cleanedSuffix,
            emptying: true)
        try forEachBatch(in: segment) { (batch, records) throws(StorageError) in
            let kept = records.filter { record in
                guard let key = record.key else { return true }
                guard let latest = latestByKey[key] else { return true }
                return latest.offset == record.offset(in: batch.header) && !latest.isExpiredTombstone
            }
            let output: RecordBatch
            if kept.count == records.count || batch.header.attributes.isControl {
                output = batch
            } else if kept.isEmpty && !(batch.header.producerId >= 0 && plan.producersLastOffsets.contains(batch.header.lastOffset)) {
                return
            } else {
                do throws(RecordBatchError) {
                    output = try RecordBatch(rewriting: batch.header, keeping: kept)
                } catch {
                    throw StorageError(.corruptLog, "rewriting batch \(batch.header.baseOffset) failed: \(error)")
                }
            }
            let position = cleaned.size
            try cleaned.log.write(output.bytes, at: Int64(position))
            cleaned.didAppend(output.header, at: position, indexIntervalBytes: plan.indexIntervalBytes)
        }
        try cleaned.closeForAppends()
        for file in try cleaned.takeUnsyncedFiles() { try file.sync() }

        let paths = LogSegment.paths(in: directory, baseOffset: segment.baseOffset)
        let finalPaths = [paths.log, paths.offsetIndex, paths.timeIndex]
        if cleaned.isEmpty {
            for path in finalPaths { try fileSystem.removeFile(atPath: path + LogFileNames.cleanedSuffix) }
            state.withLock { state in state.segments.removeAll { $0.baseOffset == segment.baseOffset } }
            try LogSegment.removeFiles(in: directory, baseOffset: segment.baseOffset, fileSystem: fileSystem)
            logger.info("Compaction emptied segment \(segment.baseOffset); deleted it")
        } else {
            for path in finalPaths { try fileSystem.rename(atPath: path + LogFileNames.cleanedSuffix, toPath: path) }
            state.withLock { state in
                if let index = state.segments.firstIndex(where: { $0.baseOffset == segment.baseOffset }) {
                    state.segments[index] = cleaned
                }
            }
            logger.info("Compacted segment \(segment.baseOffset) from \(segment.size) to \(cleaned.size) bytes")
        }
        try fileSystem.syncDirectory(atPath: directory)
    }

    /// Calls `body` with each batch of a segment and its records. A batch whose records cannot be
    /// decoded (a codec this build lacks) comes with no records, so it is kept as it is; so does a
    /// control batch, since every marker has the same key and each one ends a transaction.
    private func forEachBatch(
        in segment: LogSegment, _ body: (RecordBatch, [Record]) throws(StorageError) -> Void
    ) throws(StorageError) {
        var scanner = SegmentBatchScanner(
            file: segment.log, size: segment.size, baseOffset: segment.baseOffset, verifyingChecksums: false)
        let slice = SegmentSlice(file: segment.log, start: 0, end: segment.size)
        while true {
            switch try scanner.next() {
            case .end:
                return
            case .invalid(let position, let reason):
                throw StorageError(.corruptLog, "segment \(segment.baseOffset) byte \(position): \(reason)", path: segment.log.path)
            case .batch(let header, let position):
                let batch = try slice.batch(at: position, header: header)
                var records: [Record] = []
                if !header.attributes.isControl {
                    do throws(RecordBatchError) {
                        records = try batch.records()
                    } catch {
                        logger.warning("Compaction keeps batch \(header.baseOffset) whole: \(error)")
                    }
                }
                try body(batch, records)
            }
        }
    }
}
