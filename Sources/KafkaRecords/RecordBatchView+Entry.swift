import NIOCore

extension RecordBatchView {
    /// One entry of a message set.
    public enum Entry: Sendable {
        /// A complete RecordBatch v2 with a valid header (and CRC, when verifying).
        case batch(RecordBatch)
        /// A complete legacy (magic 0 or 1) message, possibly a compressed wrapper.
        case legacyMessage(LegacyMessage)
        /// The bytes of a final entry that is not all there; always the last entry.
        case incomplete(ByteBuffer)
    }
}
