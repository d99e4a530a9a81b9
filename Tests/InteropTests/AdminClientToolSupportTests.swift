import KafkaClient
import Testing

extension InteropSuite {
    /// What the SDK's admin client gained for the command-line tools, against the in-process
    /// broker: the broker's error text, topic ids, settings with their source and synonyms,
    /// removing settings, log offsets, committing a group's offsets and the group coordinator.
    @Suite("KafkaAdminClient for the command-line tools", .serialized, .timeLimit(.minutes(1)))
    struct AdminClientToolSupportTests {
        @Test func brokerErrorTextsAndTopicIds() async throws {
            let broker = try await TestBroker.start()
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            try await admin.createTopics([NewTopic(name: "ids", numPartitions: 2, replicationFactor: 1)])
            let error = try await #require(throws: KafkaError.self) {
                try await admin.createTopics([NewTopic(name: "ids", numPartitions: 1, replicationFactor: 1)])
            }
            #expect(error.brokerMessage == "Topic 'ids' already exists.")
            let description = try #require(try await admin.describeTopics(["ids"]).first)
            #expect(description.topicId != .zero)
            #expect(try await admin.describeTopics(["ids"]).first?.topicId == description.topicId, "the id is the topic's, not the request's")
            await admin.close()
            try await broker.stop()
        }
    }
}
