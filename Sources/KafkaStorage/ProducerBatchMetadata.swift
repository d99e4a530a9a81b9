/// What is remembered of one batch of an idempotent producer: enough to recognise a retry of it
/// and to answer the retry with the offsets it got the first time.
struct ProducerBatchMetadata: Hashable, Sendable {
    var firstSequence: Int32
    var lastSequence: Int32
    var firstOffset: Int64
    var lastOffset: Int64
    /// The batch's maxTimestamp, which a duplicate's response repeats.
    var maxTimestamp: Int64

    /// The last sequence number of a batch: sequences wrap from Int32.max to 0 (Kafka's
    /// `DefaultRecordBatch.incrementSequence`).
    static func lastSequence(firstSequence: Int32, lastOffsetDelta: Int32) -> Int32 {
        let last = Int64(firstSequence) + Int64(lastOffsetDelta)
        return Int32(truncatingIfNeeded: last > Int64(Int32.max) ? last - Int64(Int32.max) - 1 : last)
    }
}
