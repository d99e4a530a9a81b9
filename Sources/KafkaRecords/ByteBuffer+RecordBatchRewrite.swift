import NIOCore

// The broker assigns offsets and the leader epoch by rewriting two header fields of a batch as
// received; the CRC covers neither, so the batch stays valid with no re-checksum. A producer
// rewrites its producer state, which the CRC covers.
//
// Write through the buffer that will be stored: `ByteBuffer` is copy-on-write, so rewriting a
// slice whose storage is still shared (with the request frame, say) copies the bytes first.
extension ByteBuffer {
    /// Sets the baseOffset of the v2 batch that starts at `index`.
    public mutating func setRecordBatchBaseOffset(_ baseOffset: Int64, batchAt index: Int) {
        self.setInteger(baseOffset, at: index + RecordBatchHeader.baseOffsetIndex)
    }

    /// Sets the partitionLeaderEpoch of the v2 batch that starts at `index`.
    public mutating func setRecordBatchPartitionLeaderEpoch(_ epoch: Int32, batchAt index: Int) {
        self.setInteger(epoch, at: index + RecordBatchHeader.partitionLeaderEpochIndex)
    }

    /// Sets the producer id, epoch and base sequence of the v2 batch that starts at `index` and
    /// recomputes its CRC-32C, which covers them: a producer whose id was reset sends a batch it
    /// had already encoded under its new id, as Kafka's producer rewrites a closed batch's producer
    /// state.
    public mutating func setRecordBatchProducerState(producerId: Int64, producerEpoch: Int16, baseSequence: Int32, batchAt index: Int) {
        setInteger(producerId, at: index + RecordBatchHeader.producerIdIndex)
        setInteger(producerEpoch, at: index + RecordBatchHeader.producerEpochIndex)
        setInteger(baseSequence, at: index + RecordBatchHeader.baseSequenceIndex)
        guard let batchLength = getInteger(at: index + RecordBatchHeader.batchLengthIndex, as: Int32.self) else { return }
        let checkedStart = index + RecordBatchHeader.attributesIndex
        let checkedLength = RecordBatchHeader.logOverhead + Int(batchLength) - RecordBatchHeader.attributesIndex
        guard let checked = getSlice(at: checkedStart, length: checkedLength) else { return }
        setInteger(CRC32C.checksum(checked), at: index + RecordBatchHeader.crcIndex)
    }
}
