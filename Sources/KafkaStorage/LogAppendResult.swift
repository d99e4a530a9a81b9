/// What an append assigned.
public struct LogAppendResult: Hashable, Sendable {
    /// The offset of the first record appended (for a duplicate: of the original batch).
    public var firstOffset: Int64
    /// The offset of the last record appended.
    public var lastOffset: Int64
    /// The broker's append time when the topic uses LogAppendTime; -1 for CreateTime, the only
    /// timestamp type stored so far (as Kafka's ProduceResponse `log_append_time_ms`).
    public var logAppendTime: Int64
    /// How many records the appended batches hold.
    public var recordCount: Int
    /// True when the batch was an idempotent producer's retry of a batch already in the log:
    /// nothing was written and the offsets are those of the original.
    public var isDuplicate: Bool
    /// The log start offset after the append, for the ProduceResponse.
    public var logStartOffset: Int64

    public init(
        firstOffset: Int64, lastOffset: Int64, logAppendTime: Int64, recordCount: Int, isDuplicate: Bool,
        logStartOffset: Int64
    ) {
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.logAppendTime = logAppendTime
        self.recordCount = recordCount
        self.isDuplicate = isDuplicate
        self.logStartOffset = logStartOffset
    }
}
