import Synchronization

extension PartitionLog {
    /// DeleteRecords: makes `offset` the first readable offset (Kafka's
    /// `maybeIncrementLogStartOffset`). The log start offset never moves back, so an offset below
    /// it changes nothing. Returns the log start offset now (the low watermark). Throws
    /// `offsetOutOfRange` for a negative offset or one beyond the high watermark.
    ///
    /// Only the offset moves here; `LogManager.deleteRecords` also checkpoints it and deletes the
    /// segments it leaves behind.
    public func advanceLogStartOffset(to offset: Int64) throws(StorageError) -> Int64 {
        try state.withLock { (state) throws(StorageError) -> Int64 in
            try state.checkWritable()
            guard offset >= 0, offset <= state.logEndOffset else {
                throw StorageError(
                    .offsetOutOfRange,
                    "cannot increment the log start offset of \(topicPartition) to \(offset): it is outside 0...\(state.logEndOffset)")
            }
            state.logStartOffset = max(state.logStartOffset, offset)
            return state.logStartOffset
        }
    }

    /// The log start offset when records below the first segment's base offset were deleted, nil
    /// when it is that base offset: only the former needs the checkpoint (as Kafka's
    /// `log-start-offset-checkpoint` lists).
    var logStartOffsetBeyondFirstSegment: Int64? {
        state.withLock { state in state.logStartOffset > state.segments[0].baseOffset ? state.logStartOffset : nil }
    }
}
