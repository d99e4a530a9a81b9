import NIOCore

// The broker assigns offsets and the leader epoch by rewriting two header fields of a batch as
// received; the CRC covers neither, so the batch stays valid with no re-checksum.
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
}
