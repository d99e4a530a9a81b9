import KafkaClient
import SamsaTestSupport
import Synchronization
import Testing

extension ClientIntegrationSuite {
    /// The application-level promise of a rebalance listener: a manual-commit group that commits on
    /// revoke processes every record exactly once while members come and go under load.
    @Suite(.timeLimit(.minutes(4)))
    struct ConsumerGroupChurnIntegrationTests {
        /// Not on Tansu 0.6, which holds every JoinGroup for a share of the rebalance timeout.
        @Test(arguments: TestBroker.available.filter { $0 != .tansu })
        func aManualCommitGroupUnderChurnProcessesEveryRecordOnce(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("churn", partitions: 6)
            let group = TestBroker.uniqueName("group")
            let total = 3000
            var configuration = context.consumerConfiguration(groupId: group)
            configuration.enableAutoCommit = false
            configuration.maxPollRecords = 50
            let processed = ProcessedRecords()
            let events = RebalanceEvents()

            // Load: records keep arriving through every rebalance, at most 600 ahead of processing.
            let producing = Task {
                let producer = try KafkaProducer(configuration: context.producerConfiguration())
                for chunk in stride(from: 0, to: total, by: 100) {
                    guard try await waitUntil(timeout: .seconds(60), { processed.count >= chunk - 600 }) else { break }
                    for index in chunk..<(chunk + 100) {
                        _ = try await producer.enqueue(topic: topic, key: "key-\(index)", value: "\(index)")
                    }
                    try await producer.flush()
                }
                await producer.close()
            }

            var members = try (1...3).map {
                try GroupMember(name: "member-\($0)", configuration: configuration, topic: topic, processed: processed, events: events)
            }
            // Members are added and removed as processing passes these marks.
            let churn: [(mark: Int, change: String)] = [(500, "add"), (1000, "remove"), (1500, "add"), (2000, "remove"), (2400, "add")]
            var added = 3
            for (mark, change) in churn {
                #expect(try await waitUntil(timeout: .seconds(60)) { processed.count >= mark }, "processing reached \(mark)")
                if change == "add" {
                    added += 1
                    members.append(
                        try GroupMember(
                            name: "member-\(added)", configuration: configuration, topic: topic, processed: processed, events: events))
                } else {
                    try await members.removeFirst().stop()
                }
            }
            #expect(try await waitUntil(timeout: .seconds(60)) { processed.count >= total })
            try await producing.value
            for member in members { try await member.stop() }

            let counts = processed.counts
            #expect(counts.count == total, "every record processed")
            #expect(
                counts.filter { $0.value > 1 }.isEmpty,
                "no record processed twice: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(20))")
            #expect(events.log.contains { $0.contains(" revoked ") }, "members committed on revoke")
            #expect(!events.log.contains { $0.contains(" lost ") }, "no member lost its partitions")
            await context.close()
        }
    }
}

/// How often each record value was processed, across all members.
final class ProcessedRecords: Sendable {
    private let processed = Mutex<[String: Int]>([:])

    var count: Int { processed.withLock { $0.count } }
    var counts: [String: Int] { processed.withLock { $0 } }

    func process(_ records: [KafkaConsumerRecord]) {
        processed.withLock { processed in
            for record in records { processed[record.stringValue ?? "", default: 0] += 1 }
        }
    }
}

/// One member of the group: polls and processes until stopped, then closes, which revokes its
/// partitions (and so commits them through `CommitOnRevoke`) before leaving.
struct GroupMember {
    private final class StopRequest: Sendable {
        let isRequested = Atomic(false)
    }

    let consumer: KafkaConsumer
    private let stopRequest: StopRequest
    let polling: Task<Void, any Error>

    init(name: String, configuration: KafkaConsumerConfiguration, topic: String, processed: ProcessedRecords, events: RebalanceEvents)
        throws
    {
        let consumer = try KafkaConsumer(configuration: configuration)
        let stopRequest = StopRequest()
        self.consumer = consumer
        self.stopRequest = stopRequest
        self.polling = Task {
            try await consumer.subscribe(topics: [topic], listener: CommitOnRevoke(events: events, name: name))
            while !stopRequest.isRequested.load(ordering: .relaxed) {
                processed.process(try await consumer.poll(timeoutMs: 100))
            }
        }
    }

    func stop() async throws {
        stopRequest.isRequested.store(true, ordering: .relaxed)
        try await polling.value
        await consumer.close()
    }
}
