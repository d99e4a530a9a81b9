import KafkaRecords
import Logging
import NIOCore
import Synchronization

extension PartitionLog {
    /// Appends already CRC-validated RecordBatch v2 batches exactly as a producer sent them:
    /// assigns offsets by rewriting each batch's baseOffset, sets its partitionLeaderEpoch to -1
    /// (the CRC covers neither), and writes the bytes in one write(). Rolls the segment first when
    /// the batches would not fit or it is older than `segment.ms`.
    ///
    /// Batches of idempotent producers are checked against the producer's state. When one is a
    /// retry of a batch in the log, nothing is written and the original offsets come back with
    /// `isDuplicate` (as Kafka, the first duplicate answers for the whole append).
    ///
    /// When the write fails, the bytes written so far are cut off again and nothing is
    /// acknowledged; if even that fails, the log takes no more writes.
    ///
    /// Transactional batches open their producer's transaction in this partition, which holds the
    /// last stable offset until a marker ends it. Control batches are the broker's own
    /// (`appendMarker`): a client's are refused.
    ///
    /// Pass a buffer that nothing else holds: the rewrite otherwise copies it first.
    public func append(_ batches: ByteBuffer, appendTimeMs: Int64) throws(StorageError) -> LogAppendResult {
        try append(batches, appendTimeMs: appendTimeMs, marker: nil)
    }

    /// Writes a transaction coordinator's marker ending `producerId`'s transaction in this
    /// partition. An abort adds the transaction to the active segment's `.txnindex`.
    @discardableResult
    public func appendMarker(
        _ marker: ControlRecord, producerId: Int64, producerEpoch: Int16, timestampMs: Int64
    ) throws(StorageError) -> LogAppendResult {
        let batch: ByteBuffer
        do throws(RecordBatchError) {
            batch = try marker.batch(producerId: producerId, producerEpoch: producerEpoch, timestamp: timestampMs)
        } catch {
            throw StorageError(.invalidRecordBatch, error.description)
        }
        return try append(batch, appendTimeMs: timestampMs, marker: marker.type)
    }

    /// The first offset of the oldest open transaction, or the high watermark when none is open:
    /// what a read_committed consumer may read below.
    public var lastStableOffset: Int64 { state.withLock { $0.lastStableOffset } }

    private func append(
        _ batches: ByteBuffer, appendTimeMs: Int64, marker: ControlRecordType?
    ) throws(StorageError) -> LogAppendResult {
        var batches = batches
        let batchHeaders = try Self.parseAppendedBatches(batches, isMarker: marker != nil)
        // The leader epoch is the same for every append, so it is rewritten before taking the lock:
        // a copy-on-write copy of a shared buffer then happens outside it.
        for (_, position) in batchHeaders {
            batches.setRecordBatchPartitionLeaderEpoch(-1, batchAt: batches.readerIndex + position)
        }
        return try state.withLock { (state) throws(StorageError) -> LogAppendResult in
            try state.checkWritable()
            let maximumSegmentSize = Int(min(state.configuration.segmentBytes, Int64(Int32.max)))
            if let tooLarge = batchHeaders.first(where: { $0.header.totalSize > maximumSegmentSize }) {
                throw StorageError(
                    .recordBatchTooLarge,
                    "a batch of \(tooLarge.header.totalSize) bytes exceeds segment.bytes (\(maximumSegmentSize))")
            }

            // Offsets, and the idempotence check of each batch against those before it.
            let firstOffset = state.logEndOffset
            var nextOffset = firstOffset
            var pendingProducers: [Int64: ProducerStateManager.Entry] = [:]
            var recordCount = 0
            var maxTimestamp: Int64 = -1
            for (header, _) in batchHeaders {
                let lastOffset = nextOffset + Int64(header.lastOffsetDelta)
                if header.producerId >= 0 && header.baseSequence >= 0 {
                    let lastSequence = ProducerBatchMetadata.lastSequence(
                        firstSequence: header.baseSequence, lastOffsetDelta: header.lastOffsetDelta)
                    if let original = try state.producerState.check(
                        producerId: header.producerId, epoch: header.producerEpoch, firstSequence: header.baseSequence,
                        lastSequence: lastSequence, pending: pendingProducers)
                    {
                        logger.debug(
                            "Batch is a retry of offsets \(original.firstOffset)...\(original.lastOffset); not written again",
                            metadata: ["producerId": "\(header.producerId)", "sequence": "\(header.baseSequence)"])
                        return LogAppendResult(
                            firstOffset: original.firstOffset, lastOffset: original.lastOffset, logAppendTime: -1,
                            recordCount: Int(original.lastOffset - original.firstOffset + 1), isDuplicate: true,
                            logStartOffset: state.logStartOffset)
                    }
                    state.producerState.record(
                        producerId: header.producerId, epoch: header.producerEpoch,
                        batch: ProducerBatchMetadata(
                            firstSequence: header.baseSequence, lastSequence: lastSequence, firstOffset: nextOffset,
                            lastOffset: lastOffset, maxTimestamp: header.maxTimestamp),
                        into: &pendingProducers)
                }
                recordCount += Int(header.recordCount)
                maxTimestamp = max(maxTimestamp, header.maxTimestamp)
                nextOffset = lastOffset + 1
            }

            try rollIfNeeded(
                &state, appendSize: batches.readableBytes, maxTimestamp: maxTimestamp, lastOffset: nextOffset - 1,
                maximumSegmentSize: maximumSegmentSize)

            var offset = firstOffset
            for (header, position) in batchHeaders {
                batches.setRecordBatchBaseOffset(offset, batchAt: batches.readerIndex + position)
                offset += Int64(header.lastOffsetDelta) + 1
            }
            let active = state.segments.count - 1
            let segmentPosition = state.segments[active].size
            try write(batches, to: state.segments[active].log, at: segmentPosition, state: &state)

            offset = firstOffset
            for (var header, position) in batchHeaders {
                header.baseOffset = offset
                state.segments[active].didAppend(
                    header, at: segmentPosition + position, indexIntervalBytes: state.configuration.indexIntervalBytes)
                if let marker {
                    if let aborted = state.transactions.didAppendMarker(
                        marker, producerId: header.producerId, markerOffset: header.baseOffset)
                    {
                        addToTransactionIndex(aborted, state: &state)
                    }
                } else {
                    state.transactions.didAppendData(header)
                }
                offset = header.nextOffset
            }
            state.producerState.apply(pendingProducers)
            state.unflushedMessages += Int64(recordCount)
            return LogAppendResult(
                firstOffset: firstOffset, lastOffset: nextOffset - 1, logAppendTime: -1, recordCount: recordCount,
                isDuplicate: false, logStartOffset: state.logStartOffset)
        }
    }

    /// The header and position (from the reader index) of each batch in an append. Only whole v2
    /// batches whose offset range matches their record count are accepted, as Kafka's
    /// `LogValidator` requires of a client's batches.
    private static func parseAppendedBatches(
        _ batches: ByteBuffer, isMarker: Bool
    ) throws(StorageError) -> [(header: RecordBatchHeader, position: Int)] {
        var view = RecordBatchView(batches, verifyingChecksums: false)
        var result: [(header: RecordBatchHeader, position: Int)] = []
        var position = 0
        do throws(RecordBatchError) {
            while let entry = try view.next() {
                guard case .batch(let batch) = entry else {
                    throw RecordBatchError(.invalidRecord, "only whole RecordBatch v2 batches can be appended")
                }
                let header = batch.header
                guard header.recordCount > 0, Int64(header.lastOffsetDelta) + 1 == Int64(header.recordCount) else {
                    throw RecordBatchError(
                        .invalidRecord,
                        "lastOffsetDelta \(header.lastOffsetDelta) does not match the record count \(header.recordCount)")
                }
                guard header.attributes.isControl == isMarker else {
                    throw RecordBatchError(.invalidRecord, "control batches are written by the transaction coordinator only")
                }
                result.append((header, position))
                position += header.totalSize
            }
        } catch {
            throw StorageError(.invalidRecordBatch, error.description)
        }
        guard !result.isEmpty else { throw StorageError(.invalidRecordBatch, "no record batch to append") }
        return result
    }

    /// Adds an aborted transaction to the `.txnindex` of the active segment, where its marker is.
    /// Written at once, unsynced. The marker is in the log already, and the loader rebuilds the
    /// index from the markers, so a failed write is logged rather than failing the append.
    private func addToTransactionIndex(_ aborted: AbortedTransaction, state: inout PartitionLogState) {
        let baseOffset = state.segments[state.segments.count - 1].baseOffset
        do throws(StorageError) {
            var index: IndexFile<AbortedTransaction>
            if let existing = state.transactionIndexes[baseOffset] {
                index = existing
            } else {
                index = IndexFile(
                    file: try fileSystem.openFile(
                        atPath: LogSegment.transactionIndexPath(in: directory, baseOffset: baseOffset), creating: true))
            }
            index.append(aborted)
            state.transactionIndexes[baseOffset] = index
            try index.writePendingEntries()
            state.transactionIndexes[baseOffset] = index
        } catch {
            logger.warning(
                "Could not write the aborted-transaction index; it is rebuilt at the next load",
                metadata: ["error": "\(error)", "producerId": "\(aborted.producerId)"])
        }
    }

    /// Starts a new active segment at the log end offset when the current one is not empty and
    /// the append would overflow it, it is older than `segment.ms` by record timestamps (Kafka's
    /// `timeWaitedForRoll`), or the append's offsets no longer fit its 32-bit relative index.
    private func rollIfNeeded(
        _ state: inout PartitionLogState, appendSize: Int, maxTimestamp: Int64, lastOffset: Int64,
        maximumSegmentSize: Int
    ) throws(StorageError) {
        let active = state.segments[state.segments.count - 1]
        guard !active.isEmpty else { return }
        let isFull = active.size + appendSize > maximumSegmentSize
        let isOld = active.firstBatchTimestamp.map { $0 >= 0 && maxTimestamp - $0 > state.configuration.segmentMs } ?? false
        let offsetsOverflow = lastOffset - active.baseOffset > Int64(Int32.max)
        guard isFull || isOld || offsetsOverflow else { return }
        try state.segments[state.segments.count - 1].closeForAppends()
        let segment = try LogSegment.open(
            in: directory, baseOffset: state.logEndOffset, fileSystem: fileSystem, emptying: true)
        state.segments.append(segment)
        state.directoryNeedsSync = true
        logger.info(
            "Rolled new log segment at offset \(segment.baseOffset)",
            metadata: ["reason": "\(isFull ? "size" : isOld ? "segment.ms" : "offset range")"])
    }

    /// Writes the batches; on failure cuts the file back to `position`, and fails the log when
    /// that is not possible either, since the file would then hold bytes no index knows.
    private func write(
        _ batches: ByteBuffer, to file: any LogFile, at position: Int, state: inout PartitionLogState
    ) throws(StorageError) {
        do throws(StorageError) {
            try file.write(batches, at: Int64(position))
        } catch {
            do throws(StorageError) {
                try file.truncate(to: Int64(position))
                logger.warning("Append failed; nothing was acknowledged", metadata: ["error": "\(error)"])
            } catch let truncateError {
                logger.error(
                    "Append failed and its partial write could not be removed; the log takes no more writes",
                    metadata: ["error": "\(error)", "truncateError": "\(truncateError)"])
                state.failure = error
            }
            throw error
        }
    }
}
