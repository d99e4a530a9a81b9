import Foundation
import KafkaClient
import KafkaProtocol
import SamsaTestSupport
import Testing

extension ClientIntegrationSuite {
    /// The SDK's transactional producer against the built samsa (Tansu 0.6 has no transactions).
    @Suite(.timeLimit(.minutes(1)))
    struct TransactionalProducerIntegrationTests {
        static let brokers = TestBroker.available.filter { $0 != .tansu }

        func transactionalProducer(_ context: IntegrationContext, id: String) throws -> KafkaProducer {
            var configuration = context.producerConfiguration()
            configuration.transactionalId = id
            configuration.transactionTimeoutMs = 30_000
            return try KafkaProducer(configuration: configuration)
        }

        func readCommittedValues(_ context: IntegrationContext, _ partition: TopicPartition, until last: String) async throws -> [String] {
            var configuration = context.consumerConfiguration()
            configuration.isolationLevel = .readCommitted
            let consumer = try KafkaConsumer(configuration: configuration)
            try await consumer.assign([partition])
            var values: [String] = []
            let reachedLast = try await waitUntil(timeout: .seconds(20)) {
                values += try await consumer.poll(timeoutMs: 200).compactMap(\.stringValue)
                return values.last == last
            }
            #expect(reachedLast, "the read_committed consumer reads '\(last)'")
            await consumer.close()
            return values
        }

        @Test(arguments: brokers)
        func committedRecordsAreReadAndAbortedOnesNever(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("txn", partitions: 1)
            let partition = TopicPartition(topic: topic, partition: 0)
            let producer = try transactionalProducer(context, id: TestBroker.uniqueName("copier"))
            try await producer.initTransactions()
            try await producer.beginTransaction()
            for index in 0..<3 { _ = try await producer.enqueue(topic: topic, value: "committed-\(index)", partition: 0) }
            try await producer.commitTransaction()
            try await producer.beginTransaction()
            let aborted = try await producer.enqueue(topic: topic, value: "aborted", partition: 0)
            try await producer.flush()
            _ = try await aborted.get()
            try await producer.abortTransaction()
            try await producer.beginTransaction()
            _ = try await producer.send(topic: topic, value: "last", partition: 0)
            try await producer.commitTransaction()
            await producer.close()

            let values = try await readCommittedValues(context, partition, until: "last")
            #expect(values == ["committed-0", "committed-1", "committed-2", "last"])
            await context.close()
        }

        @Test(arguments: brokers)
        func aSecondProducerWithTheSameIdFencesTheFirst(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let topic = try await context.createTopic("fenced", partitions: 1)
            let transactionalId = TestBroker.uniqueName("fenced")
            let first = try transactionalProducer(context, id: transactionalId)
            try await first.initTransactions()
            try await first.beginTransaction()
            _ = try await first.send(topic: topic, value: "from the first", partition: 0)

            let second = try transactionalProducer(context, id: transactionalId)
            try await second.initTransactions()
            let fenced = try await #require(throws: KafkaError.self) { try await first.commitTransaction() }
            #expect([ErrorCode.producerFenced, .invalidProducerEpoch].contains(fenced.errorCode), "\(fenced)")
            let later = try await #require(throws: KafkaError.self) { try await first.beginTransaction() }
            #expect(later.errorCode == fenced.errorCode, "a fenced producer stays fenced")

            try await second.beginTransaction()
            _ = try await second.send(topic: topic, value: "from the second", partition: 0)
            try await second.commitTransaction()
            await first.close()
            await second.close()
            let values = try await readCommittedValues(context, TopicPartition(topic: topic, partition: 0), until: "from the second")
            #expect(values == ["from the second"], "the first producer's open transaction was aborted by the second's init")
            await context.close()
        }

        @Test(arguments: brokers)
        func offsetsSentToATransactionAreCommittedOnlyWithIt(broker: TestBroker) async throws {
            let context = try await IntegrationContext.make(broker)
            let input = try await context.createTopic("input", partitions: 1)
            let output = try await context.createTopic("output", partitions: 1)
            let inputPartition = TopicPartition(topic: input, partition: 0)
            let group = TestBroker.uniqueName("copiers")
            let consumer = try KafkaConsumer(configuration: context.consumerConfiguration(groupId: group))
            let metadata = try await consumer.groupMetadata
            #expect(metadata == KafkaConsumerGroupMetadata(groupId: group))
            let producer = try transactionalProducer(context, id: TestBroker.uniqueName("offsets"))
            try await producer.initTransactions()

            try await producer.beginTransaction()
            _ = try await producer.send(topic: output, value: "dropped", partition: 0)
            try await producer.sendOffsetsToTransaction([inputPartition: OffsetAndMetadata(offset: 5)], consumerGroupMetadata: metadata)
            try await producer.abortTransaction()
            #expect(try await consumer.committed(inputPartition) == nil, "aborted offsets are never the group's")

            try await producer.beginTransaction()
            _ = try await producer.send(topic: output, value: "kept", partition: 0)
            try await producer.sendOffsetsToTransaction([inputPartition: OffsetAndMetadata(offset: 7)], consumerGroupMetadata: metadata)
            #expect(try await consumer.committed(inputPartition) == nil, "offsets are pending until the commit")
            try await producer.commitTransaction()
            #expect(try await consumer.committed(inputPartition)?.offset == 7)
            await producer.close()
            await consumer.close()
            let values = try await readCommittedValues(context, TopicPartition(topic: output, partition: 0), until: "kept")
            #expect(values == ["kept"])
            await context.close()
        }
    }
}
