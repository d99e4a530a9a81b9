import KafkaClient
import KafkaProtocol
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// What the SDK's admin client gained for the command-line tools, against the in-process
    /// broker: the broker's error text, topic ids, settings with their source and synonyms,
    /// removing settings, log offsets, committing a group's offsets and the group coordinator.
    @Suite("KafkaAdminClient for the command-line tools", .serialized, .timeLimit(.minutes(1)))
    struct AdminClientToolSupportTests {
        @Test func brokerErrorTextsAndTopicIds() async throws {
            let broker = try await InProcessBroker.start()
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            try await admin.createTopics([NewTopic(name: "ids", numPartitions: 2, replicationFactor: 1)])
            let error = try await #require(throws: KafkaError.self) {
                try await admin.createTopics([NewTopic(name: "ids", numPartitions: 1, replicationFactor: 1)])
            }
            #expect(error.brokerMessage == "Topic 'ids' already exists.")
            let description = try #require(try await admin.describeTopics(["ids"]).first)
            #expect(description.topicId != .zero)
            #expect(
                try await admin.describeTopics(["ids"]).first?.topicId == description.topicId, "the id is the topic's, not the request's")
            await admin.close()
            try await broker.stop()
        }

        @Test func settingsComeWithTheirSourceAndCanBeRemoved() async throws {
            let broker = try await InProcessBroker.start()
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            try await admin.createTopics([
                NewTopic(name: "settings", numPartitions: 1, replicationFactor: 1, topicConfigs: ["retention.ms": "1000"])
            ])
            let described = try await admin.describeConfigs([.topic("settings")], includeSynonyms: true)[.topic("settings")]
            let retention = try #require(described?["retention.ms"])
            #expect(retention.source == .dynamicTopicConfig)
            // As Kafka: the topic's own value, then the broker default it overrides.
            #expect(retention.synonyms.map(\.name) == ["retention.ms", "log.retention.hours"])
            #expect(retention.synonyms.map(\.value) == ["1000", "168"])
            #expect(retention.synonyms.map(\.source) == [.dynamicTopicConfig, .defaultConfig])
            #expect(described?["cleanup.policy"]?.source == .defaultConfig)
            #expect(try await admin.describeConfigs([.topic("settings")])[.topic("settings")]?["retention.ms"]?.synonyms == [])

            try await admin.deleteConfigs([.topic("settings"): ["retention.ms"]])
            let after = try await admin.describeConfigs([.topic("settings")])[.topic("settings")]?["retention.ms"]
            #expect(after?.source == .defaultConfig)
            #expect(after?.isDefault == true)
            await admin.close()
            try await broker.stop()
        }

        @Test func logOffsetsGroupOffsetsAndTheCoordinator() async throws {
            let broker = try await InProcessBroker.start()
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            try await admin.createTopics([NewTopic(name: "offsets", numPartitions: 2, replicationFactor: 1)])
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: [broker.bootstrapServer]))
            for index in 0..<3 { _ = try await producer.send(topic: "offsets", value: "record \(index)", partition: 1) }
            await producer.close()
            let zero = TopicPartition(topic: "offsets", partition: 0)
            let one = TopicPartition(topic: "offsets", partition: 1)
            #expect(try await admin.listOffsets([zero: .latest, one: .latest]) == [zero: 0, one: 3])
            #expect(try await admin.listOffsets([one: .earliest]) == [one: 0])
            let missing = try await #require(throws: KafkaError.self) {
                try await admin.listOffsets([TopicPartition(topic: "nope", partition: 0): .latest])
            }
            #expect(missing.errorCode == .unknownTopicOrPartition)

            try await admin.alterConsumerGroupOffsets("resetting", offsets: [one: OffsetAndMetadata(offset: 2)])
            #expect(try await admin.listConsumerGroupOffsets("resetting") == [one: OffsetAndMetadata(offset: 2)])
            let group = try #require(try await admin.describeConsumerGroups(["resetting"]).first)
            #expect(group.coordinatorId == 1)
            #expect("\(group.coordinator.host):\(group.coordinator.port)" == broker.bootstrapServer)
            await admin.close()
            try await broker.stop()
        }
    }
}
