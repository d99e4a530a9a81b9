import KafkaRecords
import NIOCore
import Synchronization

extension PartitionLog {
    /// Whole batches starting with the one that contains `offset`, from one segment, as stored:
    /// at most `maxBytes`, except that with `minOneBatch` the first batch comes whole even when it
    /// is larger (as Kafka, so a consumer can always make progress). Never a partial batch.
    /// Empty at the log end offset; `offsetOutOfRange` below the log start offset or beyond the end.
    ///
    /// The sparse index gives a position at or before the batch; the headers from there on are
    /// read until the batch, then the batches in one pread.
    ///
    /// With `readCommitted`, only batches below the last stable offset come back (none when the
    /// offset is at or beyond it), and the result lists the aborted transactions they overlap.
    public func read(
        from offset: Int64, maxBytes: Int, minOneBatch: Bool, isolation: IsolationLevel = .readUncommitted
    ) throws(StorageError) -> LogReadResult {
        var (read, aborted) = try readBatches(from: offset, maxBytes: maxBytes, minOneBatch: minOneBatch)
        guard isolation == .readCommitted else { return read }
        read.records = Self.batches(of: read.records, below: read.lastStableOffset)
        let upperBound = Self.nextOffset(after: read.records) ?? offset
        read.abortedTransactions = aborted.filter { $0.lastOffset >= offset && $0.firstOffset < upperBound }
        return read
    }

    /// The batches of a read, and the aborted transactions from `offset` on, taken under the same
    /// lock so that they agree with each other.
    private func readBatches(
        from offset: Int64, maxBytes: Int, minOneBatch: Bool
    ) throws(StorageError) -> (LogReadResult, [AbortedTransaction]) {
        let (slice, result, aborted) = try state.withLock {
            (state) throws(StorageError) -> (SegmentSlice?, LogReadResult, [AbortedTransaction]) in
            try state.checkOpen()
            guard offset >= state.logStartOffset, offset <= state.logEndOffset else {
                throw StorageError(
                    .offsetOutOfRange,
                    "offset \(offset) is outside \(state.logStartOffset)...\(state.logEndOffset) of \(topicPartition)")
            }
            let result = LogReadResult(
                records: ByteBuffer(), highWatermark: state.logEndOffset, logStartOffset: state.logStartOffset,
                logEndOffset: state.logEndOffset, lastStableOffset: state.lastStableOffset)
            let aborted = state.transactions.abortedTransactions(from: offset, below: state.lastStableOffset)
            var index = state.segmentIndex(forOffset: offset)
            var start = state.segments[index].offsetIndex.position(forOffset: offset)
            // Compaction can leave the end of a segment without batches; the offset then is in the
            // next segment (compaction removes segments it empties, so the next one has batches).
            if offset >= state.segments[index].nextOffset {
                index += 1
                start = 0
                guard index < state.segments.count else { return (nil, result, aborted) }
            }
            let segment = state.segments[index]
            let boundaryHint = segment.offsetIndex.lastPosition(notAfter: start + min(maxBytes, segment.size))
            return (
                SegmentSlice(file: segment.log, start: start, end: segment.size, boundaryHint: boundaryHint), result, aborted
            )
        }
        guard let slice, let (header, position) = try slice.firstBatch(where: { $0.lastOffset >= offset }) else {
            return (result, aborted)
        }
        var found = result
        found.records = try slice.readBatches(
            from: position, firstBatchSize: header.totalSize, maxBytes: maxBytes, minOneBatch: minOneBatch)
        return (found, aborted)
    }

    /// The leading whole batches of `records` that start below `offset`. The last stable offset
    /// is always the base offset of a batch or the log end, so no batch straddles it.
    private static func batches(of records: ByteBuffer, below offset: Int64) -> ByteBuffer {
        var length = 0
        while let header = header(in: records, at: length), header.baseOffset < offset {
            length += header.totalSize
        }
        return records.getSlice(at: records.readerIndex, length: length)!
    }

    /// The offset after the last batch of `records`, nil when there is none.
    private static func nextOffset(after records: ByteBuffer) -> Int64? {
        var position = 0
        var next: Int64?
        while let header = header(in: records, at: position) {
            next = header.nextOffset
            position += header.totalSize
        }
        return next
    }

    /// The header of the whole batch at `position` in stored records, nil past the last one.
    private static func header(in records: ByteBuffer, at position: Int) -> RecordBatchHeader? {
        guard let bytes = records.getSlice(at: records.readerIndex + position, length: RecordBatchHeader.size),
            let header = try? RecordBatchHeader(parsing: bytes), position + header.totalSize <= records.readableBytes
        else { return nil }
        return header
    }
}
