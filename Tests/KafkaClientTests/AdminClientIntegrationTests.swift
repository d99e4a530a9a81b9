import KafkaClient
import Testing

@Suite(.serialized, .enabled(if: TestBroker.isAvailable, TestBroker.unavailableReason), .timeLimit(.minutes(1)))
struct AdminClientIntegrationTests {
    func makeAdmin() async throws -> KafkaAdminClient {
        var configuration = KafkaAdminConfiguration(bootstrapServers: [try await TestBroker.bootstrapServer()])
        configuration.requestTimeoutMs = 10_000
        return try KafkaAdminClient(configuration: configuration)
    }

    @Test func createListDescribeAndDeleteTopics() async throws {
        let admin = try await makeAdmin()
        let topic = TestBroker.uniqueTopic("admin")
        try await admin.createTopics([NewTopic(name: topic, numPartitions: 3, replicationFactor: 1)])
        #expect(try await admin.listTopics().contains(topic))
        let description = try #require(try await admin.describeTopics([topic]).first)
        #expect(description.name == topic)
        #expect(description.partitions.map(\.partition) == [0, 1, 2])
        #expect(description.partitions.allSatisfy { $0.leader >= 0 })

        try await admin.deleteTopics([topic])
        #expect(try await !admin.listTopics().contains(topic))
        await admin.close()
    }

    @Test func creatingAnExistingTopicFailsWithItsKafkaCode() async throws {
        let admin = try await makeAdmin()
        let topic = TestBroker.uniqueTopic("admin")
        try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
        let error = try await #require(throws: KafkaError.self) {
            try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
        }
        #expect(error.errorCode?.rawValue == 36)  // TOPIC_ALREADY_EXISTS
        #expect(error.message.contains(topic))
        try await admin.deleteTopics([topic])
        await admin.close()
    }

    @Test func describingAMissingTopicFails() async throws {
        let admin = try await makeAdmin()
        let error = try await #require(throws: KafkaError.self) {
            try await admin.describeTopics([TestBroker.uniqueTopic("missing")])
        }
        #expect(error.errorCode == .unknownTopicOrPartition)
        await admin.close()
    }

    @Test func describeTopicConfigs() async throws {
        let admin = try await makeAdmin()
        let topic = TestBroker.uniqueTopic("configs")
        try await admin.createTopics([
            NewTopic(name: topic, numPartitions: 1, replicationFactor: 1, topicConfigs: ["retention.ms": "3600000"])
        ])
        let configs = try await admin.describeConfigs([.topic(topic)])
        #expect(configs[.topic(topic)] != nil)
        try await admin.deleteTopics([topic])
        await admin.close()
    }

    @Test(.enabled(if: TestBroker.kind != .tansu, "Tansu has no CreatePartitions"))
    func createPartitionsRaisesTheCount() async throws {
        let admin = try await makeAdmin()
        let topic = TestBroker.uniqueTopic("grow")
        try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
        try await admin.createPartitions([topic: 3])
        #expect(try await admin.describeTopics([topic]).first?.partitions.count == 3)
        try await admin.deleteTopics([topic])
        await admin.close()
    }

    @Test func closedClientRefusesCalls() async throws {
        let admin = try await makeAdmin()
        await admin.close()
        let error = try await #require(throws: KafkaError.self) { try await admin.listTopics() }
        #expect(error.code == .shutdown)
    }
}
