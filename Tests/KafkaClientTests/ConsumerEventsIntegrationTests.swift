import KafkaClient
import NIOConcurrencyHelpers
import SamsaTestSupport
import Synchronization
import Testing

extension ClientIntegrationSuite {
    /// Rebalance listeners, `commitAsync`, static membership and the group metadata, against real
    /// brokers. Not on Tansu 0.6, which holds every JoinGroup for a share of the rebalance timeout
    /// and does not know static members.
    @Suite(.timeLimit(.minutes(3)))
    struct ConsumerEventsIntegrationTests {
        static let brokers = TestBroker.available.filter { $0 != .tansu }

        @Test(arguments: brokers)
        func aListenerCommitsOnRevokeSoTheNextOwnerResumesThere(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("revoke", partitions: 1)
            let group = TestBroker.uniqueName("group")
            try await context.produce(10, to: topic)
            var configuration = context.consumerConfiguration(groupId: group)
            configuration.enableAutoCommit = false
            let events = RebalanceEvents()

            let first = try KafkaConsumer(configuration: configuration)
            try await first.subscribe(topics: [topic], listener: CommitOnRevoke(events: events, name: "first"))
            #expect(try await first.collect(10).count == 10)
            #expect(events.log == ["first assigned \(topic)-0"])

            // A second member joins: the first gives the partition up at its next poll, committing
            // the ten records it processed, and the second starts after them.
            try await context.produce(5, to: topic, from: 10)
            let second = try KafkaConsumer(configuration: configuration)
            try await second.subscribe(topics: [topic], listener: CommitOnRevoke(events: events, name: "second"))
            // Each member polls on its own: a poll held in JoinGroup until the other rejoins must not
            // keep the other from polling, as one loop awaiting both would.
            let values = NIOLockedValueBox<[String: [String]]>(["first": [], "second": []])
            let deadline = ContinuousClock.now + .seconds(30)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, consumer) in [("first", first), ("second", second)] {
                    group.addTask {
                        // Until the five new records are read and the second member has its
                        // assignment: the first may read them before the rebalance begins.
                        while ContinuousClock.now < deadline,
                            values.withLockedValue({ $0.values.joined().count }) < 5
                                || !events.log.contains("second assigned \(topic)-0")
                        {
                            let polled = try await consumer.poll(timeoutMs: 100).compactMap(\.stringValue)
                            values.withLockedValue { $0[name, default: []] += polled }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (firstValues, secondValues) = values.withLockedValue { ($0["first"] ?? [], $0["second"] ?? []) }
            #expect(events.log.contains("first revoked \(topic)-0"))
            #expect(Set(firstValues + secondValues) == Set((10..<15).map { "value-\($0)" }))
            #expect(firstValues.count + secondValues.count == 5, "none of the first ten comes back")
            await first.close()
            await second.close()
            await context.close()
        }

        @Test(arguments: brokers)
        func commitAsyncReportsTheCommittedOffsets(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("commit-async", partitions: 1)
            let group = TestBroker.uniqueName("group")
            try await context.produce(4, to: topic)
            var configuration = context.consumerConfiguration(groupId: group)
            configuration.enableAutoCommit = false
            let consumer = try KafkaConsumer(configuration: configuration)
            try await consumer.subscribe(topics: [topic])
            #expect(try await consumer.collect(4).count == 4)
            let partition = TopicPartition(topic: topic, partition: 0)
            let reported = NIOLockedValueBox<[Result<[TopicPartition: OffsetAndMetadata], KafkaError>]>([])
            try await consumer.commitAsync { result in reported.withLockedValue { $0.append(result) } }
            #expect(try await waitUntil { reported.withLockedValue { !$0.isEmpty } })
            let committed = try reported.withLockedValue { try #require($0.first) }.get()
            #expect(committed[partition]?.offset == 4)
            #expect(try await consumer.committed(partition)?.offset == 4)
            await consumer.close()
            await context.close()
        }

        @Test(arguments: brokers)
        func groupMetadataNamesTheMembersGeneration(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("metadata", partitions: 1)
            let group = TestBroker.uniqueName("group")
            try await context.produce(1, to: topic)
            var configuration = context.consumerConfiguration(groupId: group)
            configuration.groupInstanceId = "instance-a"
            let consumer = try KafkaConsumer(configuration: configuration)
            #expect(try await consumer.groupMetadata == KafkaConsumerGroupMetadata(groupId: group, groupInstanceId: "instance-a"))
            try await consumer.subscribe(topics: [topic])
            #expect(try await consumer.collect(1).count == 1)
            let metadata = try await consumer.groupMetadata
            #expect(metadata.generationId >= 1)
            #expect(!metadata.memberId.isEmpty)
            #expect(metadata.groupInstanceId == "instance-a")
            let description = try #require(try await context.admin.describeConsumerGroups([group]).first)
            #expect(description.members.map(\.memberId) == [metadata.memberId])
            await consumer.close()

            let withoutGroup = try KafkaConsumer(configuration: context.consumerConfiguration())
            let error = await #expect(throws: KafkaError.self) { try await withoutGroup.groupMetadata }
            #expect(error?.code == .illegalState)
            await withoutGroup.close()
            await context.close()
        }

        /// KIP-345: a static member that restarts within its session gets its partitions back with
        /// no rebalance: the generation stays, and the other member keeps reading undisturbed.
        @Test(arguments: brokers)
        func aStaticMemberRestartsWithoutARebalance(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("static", partitions: 2)
            let group = TestBroker.uniqueName("group")
            var configuration = context.consumerConfiguration(groupId: group)
            configuration.sessionTimeoutMs = 30_000
            configuration.groupInstanceId = "static-a"
            let first = try KafkaConsumer(configuration: configuration)
            try await first.subscribe(topics: [topic])
            configuration.groupInstanceId = "static-b"
            let other = try KafkaConsumer(configuration: configuration)
            try await other.subscribe(topics: [topic])
            let balanced = try await waitUntil(timeout: .seconds(30)) {
                async let a = first.poll(timeoutMs: 100)
                async let b = other.poll(timeoutMs: 100)
                _ = try await (a, b)
                let firstCount = await first.assignment().count
                let otherCount = await other.assignment().count
                return firstCount == 1 && otherCount == 1
            }
            #expect(balanced)
            let generation = try await first.groupMetadata.generationId
            let firstPartitions = await first.assignment()
            await first.close()

            configuration.groupInstanceId = "static-a"
            let restarted = try KafkaConsumer(configuration: configuration)
            try await restarted.subscribe(topics: [topic])
            let rejoined = try await waitUntil(timeout: .seconds(20)) {
                async let a = restarted.poll(timeoutMs: 100)
                async let b = other.poll(timeoutMs: 100)
                _ = try await (a, b)
                return await !restarted.assignment().isEmpty
            }
            #expect(rejoined)
            #expect(await restarted.assignment() == firstPartitions)
            #expect(try await restarted.groupMetadata.generationId == generation)
            #expect(try await other.groupMetadata.generationId == generation)
            await restarted.close()
            await other.close()
            await context.close()
        }
    }
}

/// What the rebalance listeners of a test saw, in order: "name event topic-partition".
final class RebalanceEvents: Sendable {
    private let entries = Mutex<[String]>([])

    var log: [String] { entries.withLock { $0 } }

    func record(_ name: String, _ event: String, _ partitions: [TopicPartition]) {
        entries.withLock { log in log += partitions.map { "\(name) \(event) \($0)" } }
    }
}

/// A manual-commit application's listener: commits the positions (everything processed, as
/// processing happens between polls) before its partitions go to another member.
struct CommitOnRevoke: KafkaConsumerRebalanceListener {
    let events: RebalanceEvents
    let name: String

    func partitionsRevoked(_ revoked: [TopicPartition], consumer: KafkaConsumer) async throws {
        try await consumer.commit()
        events.record(name, "revoked", revoked)
    }

    func partitionsAssigned(_ assigned: [TopicPartition], consumer: KafkaConsumer) async throws {
        events.record(name, "assigned", assigned)
    }

    func partitionsLost(_ lost: [TopicPartition], consumer: KafkaConsumer) async throws {
        events.record(name, "lost", lost)
    }
}
