import KafkaClient

/// What an integration test needs on one broker: its address, an admin client, and topics with
/// names no other test uses.
struct IntegrationContext {
    let broker: TestBroker
    let bootstrapServer: String
    let admin: KafkaAdminClient

    static func make(_ broker: TestBroker) async throws -> IntegrationContext {
        let bootstrap = try await broker.bootstrapServer()
        var configuration = KafkaAdminConfiguration(bootstrapServers: [bootstrap])
        configuration.requestTimeoutMs = 10_000
        return IntegrationContext(broker: broker, bootstrapServer: bootstrap, admin: try KafkaAdminClient(configuration: configuration))
    }

    func createTopic(_ prefix: String, partitions: Int32) async throws -> String {
        let topic = TestBroker.uniqueName(prefix)
        try await admin.createTopics([NewTopic(name: topic, numPartitions: partitions, replicationFactor: 1)])
        return topic
    }

    func producerConfiguration() -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
        configuration.requestTimeoutMs = 10_000
        configuration.deliveryTimeoutMs = 20_000
        configuration.maxBlockMs = 10_000
        return configuration
    }

    func consumerConfiguration(groupId: String? = nil) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: [bootstrapServer], groupId: groupId)
        configuration.requestTimeoutMs = 10_000
        configuration.fetchMaxWaitMs = 100
        configuration.sessionTimeoutMs = 10_000
        configuration.heartbeatIntervalMs = 300
        configuration.maxPollIntervalMs = 10_000
        configuration.autoOffsetReset = .earliest
        configuration.keyDeserializer = .utf8
        configuration.valueDeserializer = .utf8
        return configuration
    }

    /// Sends `count` records "key-i" / "value-i" and waits for all of them. `oneBatchEach` sends
    /// them one at a time: Tansu 0.6 answers ListOffsets(latest) with the last batch's base
    /// offset + 1, which is the log end only when every batch holds one record.
    func produce(_ count: Int, to topic: String, partition: Int32? = nil, from start: Int = 0, oneBatchEach: Bool = false) async throws {
        let producer = try KafkaProducer(configuration: producerConfiguration())
        var futures: [FutureRecordMetadata] = []
        for index in start..<(start + count) {
            let future = try await producer.enqueue(topic: topic, key: "key-\(index)", value: "value-\(index)", partition: partition)
            if oneBatchEach { _ = try await future.get() }
            futures.append(future)
        }
        for future in futures { _ = try await future.get() }
        await producer.close()
    }

    func close() async {
        await admin.close()
    }
}
