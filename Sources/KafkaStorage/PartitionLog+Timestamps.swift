import KafkaRecords
import Synchronization
import Logging

extension PartitionLog {
    /// ListOffsets by timestamp: the first record whose timestamp is at least `timestamp`, with its
    /// offset and timestamp; nil when no record is that recent. The time index and the segments'
    /// largest timestamps find the first batch whose maxTimestamp is at least `timestamp`; that
    /// one batch is then decoded for the exact record. Should it not decode (a codec this build
    /// lacks), the answer falls back to batch granularity: the batch's base offset and
    /// maxTimestamp.
    public func offsetForTimestamp(_ timestamp: Int64) throws(StorageError) -> (offset: Int64, timestamp: Int64)? {
        let slice = try state.withLock { (state) throws(StorageError) -> SegmentSlice? in
            try state.checkOpen()
            guard let segment = state.segments.first(where: { $0.maxTimestamp >= timestamp }) else { return nil }
            let start = segment.offsetIndex.position(forOffset: segment.timeIndex.offset(forTimestamp: timestamp))
            return SegmentSlice(file: segment.log, start: start, end: segment.size)
        }
        guard let slice, let (header, position) = try slice.firstBatch(where: { $0.maxTimestamp >= timestamp }) else {
            return nil
        }
        return try exactRecord(in: slice, at: position, header: header) { $0.timestamp >= timestamp }
    }

    /// ListOffsets with MAX_TIMESTAMP (-3): the record with the largest timestamp (the first one,
    /// when several share it) and that timestamp; nil for an empty log.
    public func offsetOfMaxTimestamp() throws(StorageError) -> (offset: Int64, timestamp: Int64)? {
        let found = try state.withLock { (state) throws(StorageError) -> (SegmentSlice, Int64, Int64)? in
            try state.checkOpen()
            // The first segment holding the largest timestamp, as the first record holding it wins.
            guard let segment = state.segments.reduce(nil, { (best: LogSegment?, segment) in
                segment.maxTimestamp > (best?.maxTimestamp ?? -1) ? segment : best
            }) else { return nil }
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
