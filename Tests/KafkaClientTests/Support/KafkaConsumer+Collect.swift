import KafkaClient

extension KafkaConsumer {
    /// Polls until `count` records arrived or `timeout` passed.
    func collect(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [KafkaConsumerRecord] {
        var records: [KafkaConsumerRecord] = []
        let deadline = ContinuousClock.now + timeout
        while records.count < count, ContinuousClock.now < deadline {
            records += try await poll(timeoutMs: 200)
        }
        return records
    }
}

extension KafkaConsumerRecord {
    var stringValue: String? { value as? String }
    var stringKey: String? { key as? String }
}
