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

        @Test func settingsComeWithTheirSourceAndCanBeRemoved() async throws {
            let broker = try await TestBroker.start()
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            try await admin.createTopics([NewTopic(name: "settings", numPartitions: 1, replicationFactor: 1, topicConfigs: ["retention.ms": "1000"])])
            let described = try await admin.describeConfigs([.topic("settings")], includeSynonyms: true)[.topic("settings")]
            let retention = try #require(described?["retention.ms"])
            #expect(retention.source == .dynamicTopicConfig)
            #expect(retention.synonyms.map(\.name) == ["retention.ms"])
            #expect(retention.synonyms.map(\.value) == ["1000"])
            #expect(retention.synonyms.map(\.source) == [.dynamicTopicConfig])
            #expect(described?["cleanup.policy"]?.source == .defaultConfig)
            #expect(try await admin.describeConfigs([.topic("settings")])[.topic("settings")]?["retention.ms"]?.synonyms == [])

            try await admin.deleteConfigs([.topic("settings"): ["retention.ms"]])
            let after = try await admin.describeConfigs([.topic("settings")])[.topic("settings")]?["retention.ms"]
            #expect(after?.source == .defaultConfig)
            #expect(after?.isDefault == true)
            await admin.close()
            try await broker.stop()
        }
    }
}
