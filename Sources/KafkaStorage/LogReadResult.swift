import NIOCore

/// Whole stored batches from one segment, as a Fetch response carries them, and the log's
/// offsets at the time of the read.
public struct LogReadResult: Sendable {
    /// Whole batches, byte for byte as stored; empty at the log end offset.
    public var records: ByteBuffer
    public var highWatermark: Int64
    public var logStartOffset: Int64
    public var logEndOffset: Int64
    /// Below it every transaction is decided (Fetch's `last_stable_offset`).
    public var lastStableOffset: Int64
    /// For a read_committed read: the aborted transactions whose data overlaps the records, which
    /// the consumer drops. nil for read_uncommitted, as Fetch answers then.
    public var abortedTransactions: [AbortedTransaction]?

    public init(
        records: ByteBuffer, highWatermark: Int64, logStartOffset: Int64, logEndOffset: Int64,
        lastStableOffset: Int64? = nil, abortedTransactions: [AbortedTransaction]? = nil
    ) {
        self.records = records
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
        self.logEndOffset = logEndOffset
        self.lastStableOffset = lastStableOffset ?? highWatermark
        self.abortedTransactions = abortedTransactions
    }
}

/// Which records a read returns (Fetch's and ListOffsets' `isolation_level`).
public enum IsolationLevel: Int8, Hashable, Sendable {
    /// Everything up to the high watermark, open and aborted transactions included.
    case readUncommitted = 0
    /// Only below the last stable offset, with the aborted transactions listed.
    case readCommitted = 1
}
