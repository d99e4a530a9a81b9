import KafkaClient
import KafkaProtocol
import Testing

extension ClientIntegrationSuite {
    /// The SDK's DeleteRecords and DescribeLogDirs calls against the Samsa broker (Tansu 0.6 has
    /// neither API).
    @Suite(.timeLimit(.minutes(1)))
    struct AdminRecordsIntegrationTests {
        @Test func deleteRecordsMovesTheLowWatermarkAndReportsEachPartitionsError() async throws {
            let context = try await IntegrationContext.make(.samsa)
            let topic = try await context.createTopic("delete-records", partitions: 2)
            try await context.produce(5, to: topic, partition: 0)
            try await context.produce(2, to: topic, partition: 1)
            let first = TopicPartition(topic: topic, partition: 0)
            let second = TopicPartition(topic: topic, partition: 1)

            let lowWatermarks = try await context.admin.deleteRecords(
                [first: 3, second: KafkaAdminClient.deleteRecordsUpToHighWatermark])
            #expect(lowWatermarks == [first: 3, second: 2])
            #expect(try await context.admin.listOffsets([first: .earliest]) == [first: 3])

            let outcomes = try await context.admin.deleteRecordsByPartition([first: 9, TopicPartition(topic: topic, partition: 4): 0])
            if case .failure(let beyond) = outcomes[first] {
                #expect(beyond.errorCode == .offsetOutOfRange)
            } else {
                Issue.record("an offset beyond the high watermark got \(String(describing: outcomes[first]))")
            }
            let error = try await #require(throws: KafkaError.self) { try await context.admin.deleteRecords([first: 9]) }
            #expect(error.errorCode == .offsetOutOfRange)
            if case .failure(let missing) = outcomes[TopicPartition(topic: topic, partition: 4)] {
                #expect(missing.errorCode == .unknownTopicOrPartition)
            } else {
                Issue.record(
                    "a partition that does not exist got \(String(describing: outcomes[TopicPartition(topic: topic, partition: 4)]))")
            }
            await context.close()
        }

        @Test func describeLogDirsListsThePartitionsWithTheirSizes() async throws {
            let context = try await IntegrationContext.make(.samsa)
            let topic = try await context.createTopic("log-dirs", partitions: 2)
            try await context.produce(3, to: topic, partition: 1)
            let brokers = try await context.admin.brokerIds()
            #expect(brokers.count == 1)
            let described = try await context.admin.describeLogDirs(topics: [topic: [0, 1]])
            let directories = try #require(described[brokers[0]])
            #expect(directories.count == 1)
            let directory = try #require(directories.first)
            #expect(directory.error == nil)
            #expect(directory.totalBytes.map { $0 > 0 } == true)
            #expect(
                Set(directory.replicas.keys) == [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)])
            #expect(directory.replicas[TopicPartition(topic: topic, partition: 0)]?.size == 0)
            #expect((directory.replicas[TopicPartition(topic: topic, partition: 1)]?.size ?? 0) > 0)
            #expect(directory.replicas.values.allSatisfy { $0.offsetLag == 0 && !$0.isFuture })
            await context.close()
        }
    }
}
