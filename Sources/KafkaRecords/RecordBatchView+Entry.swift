import NIOCore

extension RecordBatchView {
    /// One entry of a message set.
    public enum Entry: Sendable {
        /// A complete RecordBatch v2 with a valid header (and CRC, when verifying).
        case batch(RecordBatch)
        /// The bytes of a final entry that is not all there; always the last entry.
        case incomplete(ByteBuffer)
    }
}
