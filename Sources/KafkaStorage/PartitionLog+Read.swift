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
    public func read(from offset: Int64, maxBytes: Int, minOneBatch: Bool) throws(StorageError) -> LogReadResult {
        let (slice, result) = try state.withLock { (state) throws(StorageError) -> (SegmentSlice?, LogReadResult) in
            try state.checkOpen()
            guard offset >= state.logStartOffset, offset <= state.logEndOffset else {
                throw StorageError(
                    .offsetOutOfRange,
                    "offset \(offset) is outside \(state.logStartOffset)...\(state.logEndOffset) of \(topicPartition)")
            }
            let result = LogReadResult(
                records: ByteBuffer(), highWatermark: state.logEndOffset, logStartOffset: state.logStartOffset,
                logEndOffset: state.logEndOffset)
            var index = state.segmentIndex(forOffset: offset)
            var start = state.segments[index].offsetIndex.position(forOffset: offset)
            // Compaction can leave the end of a segment without batches; the offset then is in the
            // next segment (compaction removes segments it empties, so the next one has batches).
            if offset >= state.segments[index].nextOffset {
                index += 1
                start = 0
                guard index < state.segments.count else { return (nil, result) }
            }
            let segment = state.segments[index]
            let boundaryHint = segment.offsetIndex.lastPosition(notAfter: start + min(maxBytes, segment.size))
            return (SegmentSlice(file: segment.log, start: start, end: segment.size, boundaryHint: boundaryHint), result)
        }
        guard let slice, let (header, position) = try slice.firstBatch(where: { $0.lastOffset >= offset }) else {
            return result
        }
        var found = result
        found.records = try slice.readBatches(
            from: position, firstBatchSize: header.totalSize, maxBytes: maxBytes, minOneBatch: minOneBatch)
        return found
    }
}
