import KafkaClient

/// Creates topics for a test on the test broker and removes them afterwards.
struct IntegrationContext {
    let bootstrapServer: String
    let admin: KafkaAdminClient

    static func make() async throws -> IntegrationContext {
        let bootstrap = try await TestBroker.bootstrapServer()
        var configuration = KafkaAdminConfiguration(bootstrapServers: [bootstrap])
        configuration.requestTimeoutMs = 10_000
        return IntegrationContext(bootstrapServer: bootstrap, admin: try KafkaAdminClient(configuration: configuration))
    }

    func createTopic(_ prefix: String, partitions: Int32) async throws -> String {
        let topic = TestBroker.uniqueTopic(prefix)
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

    func close() async {
        await admin.close()
    }
}
