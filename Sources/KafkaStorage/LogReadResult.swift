import NIOCore

/// Whole stored batches from one segment, as a Fetch response carries them, and the log's
/// offsets at the time of the read.
public struct LogReadResult: Sendable {
    /// Whole batches, byte for byte as stored; empty at the log end offset.
    public var records: ByteBuffer
    public var highWatermark: Int64
    public var logStartOffset: Int64
    public var logEndOffset: Int64

    public init(records: ByteBuffer, highWatermark: Int64, logStartOffset: Int64, logEndOffset: Int64) {
        self.records = records
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
        self.logEndOffset = logEndOffset
    }
}
