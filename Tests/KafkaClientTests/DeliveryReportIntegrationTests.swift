import KafkaClient
import NIOConcurrencyHelpers
import SamsaTestSupport
import Testing

extension ClientIntegrationSuite {
    @Suite(.timeLimit(.minutes(1)))
    struct DeliveryReportIntegrationTests {
        /// An application that enqueues without awaiting each record still learns of every record's
        /// fate: where it was written, or why the broker refused it.
        /// Tansu does not enforce a topic's `max.message.bytes`.
        @Test(arguments: TestBroker.available.filter { $0 != .tansu })
        func everyRecordReportsItsDeliveryWithoutBeingAwaited(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = TestBroker.uniqueName("reports")
            try await context.admin.createTopics([
                NewTopic(name: topic, numPartitions: 1, replicationFactor: 1, topicConfigs: ["max.message.bytes": "1000"])
            ])
            let producer = try KafkaProducer(configuration: context.producerConfiguration())
            let reports = NIOLockedValueBox<[String: Result<RecordMetadata, KafkaError>]>([:])
            for (name, value) in [("small", "fits"), ("large", String(repeating: "x", count: 5_000))] {
                try await producer.enqueue(topic: topic, value: value).whenComplete { report in
                    reports.withLockedValue { $0[name] = report }
                }
                // Each record in a batch of its own: the broker refuses a batch as a whole.
                if name == "small" { try await producer.flush() }
            }
            await #expect(throws: KafkaError.self) { try await producer.flush() }
            #expect(try await waitUntil { reports.withLockedValue { $0.count == 2 } })
            let (small, large) = reports.withLockedValue { ($0["small"], $0["large"]) }
            #expect(try small?.get().offset == 0)
            #expect(throws: KafkaError.self) { try large?.get() }
            if case .failure(let error) = large { #expect(error.errorCode == .messageTooLarge) }

            // A report asked for after delivery arrives at once.
            let late = NIOLockedValueBox<RecordMetadata?>(nil)
            let future = try await producer.enqueue(topic: topic, value: "later")
            _ = try await future.get()
            future.whenComplete { report in late.withLockedValue { $0 = try? report.get() } }
            #expect(late.withLockedValue { $0?.offset } == 1)
            await producer.close()
            await context.close()
        }
    }
}
