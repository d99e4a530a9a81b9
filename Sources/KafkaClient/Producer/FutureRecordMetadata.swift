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
        try metadata(for: await batch.result()).get()
    }

    /// The record's delivery report, without awaiting it (kafka-python's `add_callback` and
    /// `add_errback` in one): `callback` receives where the record was written, or why it was not.
    /// It runs once, on the producer's event loop when the batch completes (at once when it already
    /// has), so it must not block; hand longer work to a task.
    ///
    /// ```swift
    /// let future = try await producer.enqueue(topic: "orders", value: order)
    /// future.whenComplete { report in
    ///     if case .failure(let error) = report { logger.error("order lost: \(error)") }
    /// }
    /// ```
    public func whenComplete(_ callback: @escaping @Sendable (Result<RecordMetadata, KafkaError>) -> Void) {
        batch.whenComplete { result in callback(metadata(for: result)) }
    }

    private func metadata(for result: Result<ProducedBatch, KafkaError>) -> Result<RecordMetadata, KafkaError> {
        result.map { produced in
            RecordMetadata(
                topic: topic, partition: partition,
                offset: produced.baseOffset < 0 ? -1 : produced.baseOffset + Int64(relativeOffset),
                timestamp: produced.logAppendTime >= 0 ? produced.logAppendTime : timestamp,
                serializedKeySize: serializedKeySize, serializedValueSize: serializedValueSize)
        }
    }
}
