import KafkaClient
import KafkaProtocol
import Testing

extension ClientIntegrationSuite {
    @Suite(.timeLimit(.minutes(1)))
    struct AdminClientIntegrationTests {
        func makeAdmin(_ broker: TestBroker) async throws -> KafkaAdminClient {
            var configuration = KafkaAdminConfiguration(bootstrapServers: [try await broker.bootstrapServer()])
            configuration.requestTimeoutMs = 10_000
            return try KafkaAdminClient(configuration: configuration)
        }

        @Test(arguments: TestBroker.available)
        func createListDescribeAndDeleteTopics(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            let topic = TestBroker.uniqueName("admin")
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

        @Test(arguments: TestBroker.available)
        func creatingAnExistingTopicFailsWithItsKafkaCode(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            let topic = TestBroker.uniqueName("admin")
            try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
            let error = try await #require(throws: KafkaError.self) {
                try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
            }
            #expect(error.errorCode?.rawValue == 36)  // TOPIC_ALREADY_EXISTS
            #expect(error.message.contains(topic))
            try await admin.deleteTopics([topic])
            await admin.close()
        }

        @Test(arguments: TestBroker.available)
        func describingAMissingTopicFails(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            let error = try await #require(throws: KafkaError.self) {
                try await admin.describeTopics([TestBroker.uniqueName("missing")])
            }
            #expect(error.errorCode == .unknownTopicOrPartition)
            await admin.close()
        }

        @Test(arguments: TestBroker.available)
        func describeTopicConfigs(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            let topic = TestBroker.uniqueName("configs")
            try await admin.createTopics([
                NewTopic(name: topic, numPartitions: 1, replicationFactor: 1, topicConfigs: ["retention.ms": "3600000"])
            ])
            let configs = try await admin.describeConfigs([.topic(topic)])
            #expect(configs[.topic(topic)] != nil)
            try await admin.deleteTopics([topic])
            await admin.close()
        }

        @Test(arguments: TestBroker.available)
        func alterConfigsChangesATopicSetting(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            let topic = TestBroker.uniqueName("alter")
            try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
            try await admin.alterConfigs([.topic(topic): ["retention.ms": "7200000"]])
            // Tansu 0.6 drops the connection when DescribeConfigs names keys (kafka-python's too).
            let configs = try await admin.describeConfigs([.topic(topic)], keys: broker == .tansu ? nil : ["retention.ms"])
            #expect(configs[.topic(topic)]?["retention.ms"]?.value == "7200000")
            try await admin.deleteTopics([topic])
            await admin.close()
        }

        @Test(arguments: TestBroker.available)
        func bootstrapTriesTheNextServerWhenOneIsDown(broker: TestBroker) async throws {
            var configuration = KafkaAdminConfiguration(bootstrapServers: ["127.0.0.1:1", try await broker.bootstrapServer()])
            configuration.requestTimeoutMs = 10_000
            let admin = try KafkaAdminClient(configuration: configuration)
            _ = try await admin.listTopics()
            await admin.close()
        }

        /// Tansu 0.6 has no CreatePartitions.
        @Test(arguments: TestBroker.available.filter { $0 != .tansu })
        func createPartitionsRaisesTheCount(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            let topic = TestBroker.uniqueName("grow")
            try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
            try await admin.createPartitions([topic: 3])
            #expect(try await admin.describeTopics([topic]).first?.partitions.count == 3)
            try await admin.deleteTopics([topic])
            await admin.close()
        }

        @Test(arguments: TestBroker.available)
        func closedClientRefusesCalls(broker: TestBroker) async throws {
            let admin = try await makeAdmin(broker)
            await admin.close()
            let error = try await #require(throws: KafkaError.self) { try await admin.listTopics() }
            #expect(error.code == .shutdown)
        }
    }
}
