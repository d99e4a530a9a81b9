/// A record in the producer's buffer, kafka-python's `FutureRecordMetadata`: `get()` waits until
/// its batch is acknowledged (acks=0: written) and returns where the record went. All records of a
/// batch share one completion, so holding many of these costs no allocation per record.
public struct FutureRecordMetadata: Sendable {
    let batch: ProducerBatchCompletion
    let relativeOffset: Int32
    public let topic: String
    public let partition: Int32
    let timestamp: Int64
    let serializedKeySize: Int
    let serializedValueSize: Int

    /// Waits for the record's batch; throws the batch's error (a broker error after retries, a
    /// timeout after `deliveryTimeoutMs`, or `shutdown` when the producer closed without sending it).
    public func get() async throws(KafkaError) -> RecordMetadata {
        let produced = try await batch.result().get()
        return RecordMetadata(
            topic: topic, partition: partition,
            offset: produced.baseOffset < 0 ? -1 : produced.baseOffset + Int64(relativeOffset),
            timestamp: produced.logAppendTime >= 0 ? produced.logAppendTime : timestamp,
            serializedKeySize: serializedKeySize, serializedValueSize: serializedValueSize)
    }
}
