import KafkaRecords
import Logging

/// Opens a partition folder (Kafka's `LogLoader`): clears what an interrupted compaction or
/// checkpoint write left behind, then reads every segment's batch headers in order, which
/// rebuilds the idempotent producers' state, each segment's sizes and timestamps, and its sparse
/// indexes (index files that differ from the rebuilt ones are rewritten). Transactional batches
/// and the markers of control batches rebuild the open transactions (so the last stable offset)
/// and each segment's aborted-transaction index, whose `.txnindex` file is rewritten likewise
/// when it is missing or differs.
///
/// After an unclean shutdown (`recoveryPoint` given), every segment that may hold offsets at or
/// above the recovery point is also checked batch by batch: header sanity, offsets that only
/// grow, length within the file and CRC-32C. The log is cut at the first bad or partial batch,
/// later segments are deleted, and what was recovered is fsync'd before the log is used.
struct PartitionLogLoader {
    /// What loading found, for the start-up report.
    struct Outcome {
        var state: PartitionLogState
        var recoveredSegments: Int
        var truncatedBytes: Int64
    }

    let topicPartition: TopicPartition
    let directory: String
    let fileSystem: any LogFileSystem
    let configuration: LogConfiguration
    let logger: Logger
    /// nil after a clean shutdown; else the offset below which everything was fsync'd.
    let recoveryPoint: Int64?
    /// From `log-start-offset-checkpoint`: records below it were deleted (DeleteRecords), though
    /// their segment may remain. nil when the partition is not listed.
    var checkpointedLogStartOffset: Int64? = nil

    func load() throws(StorageError) -> Outcome {
        let baseOffsets = try removeLeftoversAndListSegments()
        var segments: [LogSegment] = []
        var producerState = ProducerStateManager()
        var transactions = PartitionTransactions()
        var transactionIndexes: [Int64: IndexFile<AbortedTransaction>] = [:]
        var recovering = false
        var recoveredSegments = 0
        var truncatedBytes: Int64 = 0
        var foundCorruption = false
        for (index, baseOffset) in baseOffsets.enumerated() {
            if foundCorruption {
                let size = try fileSystem.openFile(atPath: LogSegment.paths(in: directory, baseOffset: baseOffset).log, creating: false)
                    .size()
                logger.warning("Deleting segment \(baseOffset) (\(size) bytes), which follows the truncated one")
                truncatedBytes += size
                try LogSegment.removeFiles(in: directory, baseOffset: baseOffset, fileSystem: fileSystem)
                continue
            }
            let nextBaseOffset = index + 1 < baseOffsets.count ? baseOffsets[index + 1] : Int64.max
            if let recoveryPoint, nextBaseOffset > recoveryPoint { recovering = true }
            var segment = try LogSegment.open(in: directory, baseOffset: baseOffset, fileSystem: fileSystem, emptying: false)
            let fileSize = try segment.log.size()
            if recovering { logger.info("Recovering unflushed segment \(baseOffset) (\(fileSize) bytes)") }
            var scanner = SegmentBatchScanner(
                file: segment.log, size: Int(fileSize), baseOffset: baseOffset, verifyingChecksums: recovering)
            var abortedInSegment: [AbortedTransaction] = []
            scanning: while true {
                switch try scanner.next() {
                case .batch(let header, let position):
                    segment.didAppend(header, at: position, indexIntervalBytes: configuration.indexIntervalBytes)
                    if header.attributes.isControl {
                        let marker = try readMarker(of: header, at: position, in: segment.log, size: Int(fileSize))
                        if let marker,
                            let aborted = transactions.didAppendMarker(
                                marker.type, producerId: header.producerId, markerOffset: header.baseOffset)
                        {
                            abortedInSegment.append(aborted)
                        }
                    } else {
                        transactions.didAppendData(header)
                    }
                    if header.producerId >= 0 && header.baseSequence >= 0 {
                        producerState.replay(
                            producerId: header.producerId, epoch: header.producerEpoch,
                            batch: ProducerBatchMetadata(
                                firstSequence: header.baseSequence,
                                lastSequence: ProducerBatchMetadata.lastSequence(
                                    firstSequence: header.baseSequence, lastOffsetDelta: header.lastOffsetDelta),
                                firstOffset: header.baseOffset, lastOffset: header.lastOffset, maxTimestamp: header.maxTimestamp))
                    }
                case .end:
                    break scanning
                case .invalid(let position, let reason):
                    logger.warning(
                        "Found invalid batch in segment \(baseOffset) at byte \(position): \(reason); truncating \(fileSize - Int64(position)) bytes",
                        metadata: ["file": "\(segment.log.path)"])
                    try segment.log.truncate(to: Int64(position))
                    truncatedBytes += fileSize - Int64(position)
                    foundCorruption = true
                    break scanning
                }
            }
            let isLast = index == baseOffsets.count - 1 || foundCorruption
            if !isLast { segment.appendFinalTimeIndexEntry() }
            if try segment.reconcileIndexFiles() && !recovering {
                logger.warning("Rebuilt the missing or corrupt index files of segment \(baseOffset)")
            }
            if let index = try reconcileTransactionIndex(of: baseOffset, with: abortedInSegment) {
                transactionIndexes[baseOffset] = index
            }
            if recovering {
                segment.markUnsynced()
                recoveredSegments += 1
            } else {
                // The log file was durable already; only rewritten index files need an fsync.
                for file in try segment.takeUnsyncedFiles() where file !== segment.log { try file.sync() }
            }
            segments.append(segment)
        }
        if segments.isEmpty {
            segments.append(try LogSegment.open(in: directory, baseOffset: 0, fileSystem: fileSystem, emptying: true))
        }
        if recovering {
            for index in segments.indices {
                for file in try segments[index].takeUnsyncedFiles() { try file.sync() }
            }
            try fileSystem.syncDirectory(atPath: directory)
        }
        let logEndOffset = segments[segments.count - 1].nextOffset
        // A truncated log may end below the checkpointed offset; the start never passes the end.
        let logStartOffset = max(segments[0].baseOffset, min(checkpointedLogStartOffset ?? 0, logEndOffset))
        var state = PartitionLogState(
            configuration: configuration, segments: segments, logStartOffset: logStartOffset,
            flushedOffset: logEndOffset, producerState: producerState)
        state.transactions = transactions
        state.transactionIndexes = transactionIndexes
        return Outcome(state: state, recoveredSegments: recoveredSegments, truncatedBytes: truncatedBytes)
    }

    /// The marker of a control batch, nil (and a warning) when its record does not decode: such a
    /// batch passed the scanner's checks, so it stays in the log but ends no transaction.
    private func readMarker(
        of header: RecordBatchHeader, at position: Int, in log: any LogFile, size: Int
    ) throws(StorageError) -> ControlRecord? {
        let batch = try SegmentSlice(file: log, start: 0, end: size).batch(at: position, header: header)
        do throws(RecordBatchError) {
            return try ControlRecord(batch: batch)
        } catch {
            logger.warning("Control batch at offset \(header.baseOffset) holds no readable marker: \(error)")
            return nil
        }
    }

    /// Keeps a segment's `.txnindex` when it holds exactly the aborted transactions rebuilt from
    /// its markers, else rewrites and fsyncs it. A segment without aborted transactions needs no
    /// file; a stale one is removed.
    private func reconcileTransactionIndex(
        of baseOffset: Int64, with aborted: [AbortedTransaction]
    ) throws(StorageError) -> IndexFile<AbortedTransaction>? {
        let path = LogSegment.transactionIndexPath(in: directory, baseOffset: baseOffset)
        guard !aborted.isEmpty else {
            if fileSystem.fileExists(atPath: path) {
                logger.warning("Removing the aborted-transaction index of segment \(baseOffset), which has no abort marker")
                try fileSystem.removeFile(atPath: path)
            }
            return nil
        }
        let existed = fileSystem.fileExists(atPath: path)
        var index = IndexFile<AbortedTransaction>(file: try fileSystem.openFile(atPath: path, creating: true))
        for entry in aborted { index.append(entry) }
        if try index.reconcileWithFile() {
            logger.warning(
                "\(existed ? "Rebuilt the stale" : "Rebuilt the missing") aborted-transaction index of segment \(baseOffset)")
            try index.file.sync()
        }
        return index
    }

    /// Deletes files an interrupted operation left (`.cleaned` from compaction, `.tmp` from an
    /// atomic write, index files whose log is gone) and returns the segments' base offsets in order.
    private func removeLeftoversAndListSegments() throws(StorageError) -> [Int64] {
        let names = try fileSystem.contentsOfDirectory(atPath: directory)
        let baseOffsets = Set(names.compactMap { LogFileNames.baseOffset(fileName: $0, suffix: LogFileNames.logSuffix) })
        for name in names {
            let isLeftover = name.hasSuffix(LogFileNames.cleanedSuffix) || name.hasSuffix(".tmp")
            let orphanedIndexBase =
                LogFileNames.baseOffset(fileName: name, suffix: LogFileNames.offsetIndexSuffix)
                ?? LogFileNames.baseOffset(fileName: name, suffix: LogFileNames.timeIndexSuffix)
                ?? LogFileNames.baseOffset(fileName: name, suffix: LogFileNames.transactionIndexSuffix)
            if isLeftover || orphanedIndexBase.map({ !baseOffsets.contains($0) }) ?? false {
                logger.info("Deleting leftover file \(name)")
                try fileSystem.removeFile(atPath: directory + "/" + name)
            }
        }
        return baseOffsets.sorted()
    }
}
