/// The broker's answer for one batch, shared by all its records.
struct ProducedBatch: Sendable {
    /// -1 with acks=0.
    var baseOffset: Int64
    /// The broker's append time for LogAppendTime topics, else -1.
    var logAppendTime: Int64
}
