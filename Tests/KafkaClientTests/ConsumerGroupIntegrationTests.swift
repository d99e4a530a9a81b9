import KafkaClient
import Testing

extension ClientIntegrationSuite {
    @Suite(.timeLimit(.minutes(2)))
    struct ConsumerGroupIntegrationTests {
        @Test(arguments: TestBroker.available)
        func aGroupMemberCommitsAndTheNextOneResumesThere(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("resume", partitions: 2)
            let group = TestBroker.uniqueName("group")
            try await context.produce(10, to: topic)

            var configuration = context.consumerConfiguration(groupId: group)
            configuration.enableAutoCommit = false
            let first = try KafkaConsumer(configuration: configuration)
            try await first.subscribe(topics: [topic])
            let firstRecords = try await first.collect(10)
            #expect(firstRecords.count == 10)
            #expect(await first.assignment().count == 2)
            try await first.commit()
            let firstRecord = try #require(firstRecords.first)
            let partition = TopicPartition(topic: topic, partition: firstRecord.partition)
            #expect(
                try await first.committed(partition)?.offset == Int64(firstRecords.filter { $0.partition == partition.partition }.count))
            await first.close()

            try await context.produce(4, to: topic, from: 10)
            let second = try KafkaConsumer(configuration: configuration)
            try await second.subscribe(topics: [topic])
            let secondRecords = try await second.collect(4)
            #expect(Set(secondRecords.compactMap(\.stringValue)) == Set((10..<14).map { "value-\($0)" }))
            #expect(try await second.poll(timeoutMs: 500).isEmpty, "nothing before the committed offsets comes back")
            await second.close()
            await context.close()
        }

        @Test(arguments: TestBroker.available)
        func autoCommitStoresPositionsOnClose(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("autocommit", partitions: 1)
            let group = TestBroker.uniqueName("group")
            try await context.produce(6, to: topic)
            let consumer = try KafkaConsumer(configuration: context.consumerConfiguration(groupId: group))
            try await consumer.subscribe(topics: [topic])
            #expect(try await consumer.collect(6).count == 6)
            await consumer.close()

            let offsets = try await context.admin.listConsumerGroupOffsets(group)
            #expect(offsets[TopicPartition(topic: topic, partition: 0)]?.offset == 6)
            await context.close()
        }

        @Test(arguments: TestBroker.available)
        func threeMembersShareThreePartitions(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("trio", partitions: 3)
            let group = TestBroker.uniqueName("group")
            for partition in Int32(0)..<3 { try await context.produce(5, to: topic, partition: partition, from: Int(partition) * 5) }

            let consumers = try (0..<3).map { _ in try KafkaConsumer(configuration: context.consumerConfiguration(groupId: group)) }
            for consumer in consumers { try await consumer.subscribe(topics: [topic]) }
            // Every member keeps polling (as a real one would) until all three hold one partition each.
            let results = try await withThrowingTaskGroup(of: (Set<TopicPartition>, [String]).self) { tasks in
                for consumer in consumers {
                    tasks.addTask {
                        var values: [String] = []
                        let deadline = ContinuousClock.now + .seconds(60)
                        while ContinuousClock.now < deadline {
                            values += try await consumer.poll(timeoutMs: 200).compactMap(\.stringValue)
                            let sizes = await consumers.asyncMap { await $0.assignment().count }
                            if sizes == [1, 1, 1], values.count >= 5 { break }
                        }
                        return (await consumer.assignment(), values)
                    }
                }
                var results: [(Set<TopicPartition>, [String])] = []
                for try await result in tasks { results.append(result) }
                return results
            }
            let assignments = results.map(\.0)
            #expect(assignments.allSatisfy { $0.count == 1 })
            #expect(Set(assignments.flatMap { $0 }) == Set((0..<3).map { TopicPartition(topic: topic, partition: $0) }))

            let description = try #require(try await context.admin.describeConsumerGroups([group]).first)
            #expect(description.state == "Stable")
            #expect(description.members.count == 3)
            if broker != .tansu {
                // Tansu 0.6 reports neither the chosen protocol nor the members' assignments.
                #expect(["range", "roundrobin"].contains(description.assignor))
                #expect(description.members.flatMap(\.assignment).count == 3)
            }
            // Tansu 0.6 lists only groups that committed offsets.
            try await consumers[0].commit()
            #expect(try await context.admin.listConsumerGroups().contains { $0.groupId == group })

            for consumer in consumers { await consumer.close() }
            await context.close()
        }

        /// Not on Tansu 0.6, which holds every JoinGroup for a share of the rebalance timeout (5 s at
        /// 10 s, 30 s at 60 s), hiding whether the first member left.
        @Test(arguments: TestBroker.available.filter { $0 != .tansu })
        func aDroppedConsumerLeavesItsGroup(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("dropped", partitions: 2)
            let group = TestBroker.uniqueName("group")
            var configuration = context.consumerConfiguration(groupId: group)
            // Long enough that only a LeaveGroup explains a quick takeover.
            configuration.sessionTimeoutMs = 60_000
            configuration.maxPollIntervalMs = 60_000
            var first: KafkaConsumer? = try KafkaConsumer(configuration: configuration)
            try await first?.subscribe(topics: [topic])
            while await first?.assignment().isEmpty == true { _ = try await first?.poll(timeoutMs: 100) }
            first = nil

            let second = try KafkaConsumer(configuration: configuration)
            try await second.subscribe(topics: [topic])
            let started = ContinuousClock.now
            while await second.assignment().count < 2, ContinuousClock.now - started < .seconds(40) {
                _ = try await second.poll(timeoutMs: 100)
            }
            #expect(await second.assignment().count == 2)
            #expect(ContinuousClock.now - started < .seconds(30))
            await second.close()
            await context.close()
        }

        @Test(arguments: TestBroker.available)
        func aPatternSubscriptionFindsMatchingTopics(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let prefix = TestBroker.uniqueName("pattern")
            try await context.admin.createTopics([
                NewTopic(name: "\(prefix)-a", numPartitions: 1, replicationFactor: 1),
                NewTopic(name: "\(prefix)-b", numPartitions: 1, replicationFactor: 1),
            ])
            try await context.produce(2, to: "\(prefix)-a")
            try await context.produce(2, to: "\(prefix)-b", from: 2)
            let consumer = try KafkaConsumer(configuration: context.consumerConfiguration(groupId: TestBroker.uniqueName("group")))
            try await consumer.subscribe(pattern: "\(prefix)-.*")
            let records = try await consumer.collect(4)
            #expect(Set(records.map(\.topic)) == ["\(prefix)-a", "\(prefix)-b"])
            #expect(await consumer.subscription() == ["\(prefix)-a", "\(prefix)-b"])
            await consumer.close()
            await context.close()
        }

        @Test(arguments: TestBroker.available)
        func anEmptyGroupCanBeDeleted(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("delete-group", partitions: 1)
            let group = TestBroker.uniqueName("group")
            try await context.produce(1, to: topic)
            let consumer = try KafkaConsumer(configuration: context.consumerConfiguration(groupId: group))
            try await consumer.subscribe(topics: [topic])
            #expect(try await consumer.collect(1).count == 1)
            await consumer.close()
            try await context.admin.deleteConsumerGroups([group])
            #expect(try await context.admin.listConsumerGroupOffsets(group).isEmpty)
            await context.close()
        }
    }
}
