import KafkaRecords
import Logging
import Synchronization

extension PartitionLog {
    /// ListOffsets by timestamp: the first record at or above the log start offset whose timestamp
    /// is at least `timestamp`, with its offset and timestamp; nil when no record is that recent.
    /// The time index and the segments' largest timestamps find the first batch whose maxTimestamp
    /// is at least `timestamp`; that one batch is then decoded for the exact record. Should it not
    /// decode (a codec this build lacks), the answer falls back to batch granularity: the batch's
    /// base offset and maxTimestamp.
    public func offsetForTimestamp(_ timestamp: Int64) throws(StorageError) -> (offset: Int64, timestamp: Int64)? {
        let (slices, logStartOffset) = try state.withLock { (state) throws(StorageError) -> ([SegmentSlice], Int64) in
            try state.checkOpen()
            // Records DeleteRecords removed may still sit in the first segments; a later segment
            // may then hold the answer.
            let slices = state.segments.filter { $0.maxTimestamp >= timestamp && $0.nextOffset > state.logStartOffset }.map { segment in
                let firstCandidate = max(segment.timeIndex.offset(forTimestamp: timestamp), state.logStartOffset)
                return SegmentSlice(file: segment.log, start: segment.offsetIndex.position(forOffset: firstCandidate), end: segment.size)
            }
            return (slices, state.logStartOffset)
        }
        for slice in slices {
            guard
                let (header, position) = try slice.firstBatch(where: {
                    $0.maxTimestamp >= timestamp && $0.lastOffset >= logStartOffset
                })
            else { continue }
            let found = try exactRecord(in: slice, at: position, header: header) {
                $0.timestamp >= timestamp && $0.offset >= logStartOffset
            }
            return (max(found.offset, logStartOffset), found.timestamp)
        }
        return nil
    }

    /// ListOffsets with MAX_TIMESTAMP (-3): the record with the largest timestamp (the first one,
    /// when several share it) and that timestamp; nil for an empty log.
    public func offsetOfMaxTimestamp() throws(StorageError) -> (offset: Int64, timestamp: Int64)? {
        let found = try state.withLock { (state) throws(StorageError) -> (SegmentSlice, Int64, Int64)? in
            try state.checkOpen()
            // The first segment holding the largest timestamp, as the first record holding it wins.
            guard
                let segment = state.segments.reduce(
                    nil,
                    { (best: LogSegment?, segment) in
                        segment.maxTimestamp > (best?.maxTimestamp ?? -1) ? segment : best
                    })
            else { return nil }
            let start = segment.offsetIndex.position(forOffset: segment.offsetOfMaxTimestamp)
            return (SegmentSlice(file: segment.log, start: start, end: segment.size), segment.offsetOfMaxTimestamp, segment.maxTimestamp)
        }
        guard let (slice, lastOffsetOfBatch, maxTimestamp) = found,
            let (header, position) = try slice.firstBatch(where: { $0.lastOffset >= lastOffsetOfBatch })
        else { return nil }
        return try exactRecord(in: slice, at: position, header: header) { $0.timestamp >= maxTimestamp }
    }

    /// The first record of the batch at `position` that `matches`, or the batch's base offset and
    /// maxTimestamp when its records cannot be decoded.
    private func exactRecord(
        in slice: SegmentSlice, at position: Int, header: RecordBatchHeader, where matches: (DecodedRecord) -> Bool
    ) throws(StorageError) -> (offset: Int64, timestamp: Int64) {
        let batch = try slice.batch(at: position, header: header)
        do throws(RecordBatchError) {
            if let record = try batch.decodedRecords().first(where: matches) {
                return (record.offset, record.timestamp)
            }
        } catch {
            logger.debug("Answering a timestamp lookup at batch granularity", metadata: ["error": "\(error)"])
        }
        return (header.baseOffset, header.maxTimestamp)
    }
}
