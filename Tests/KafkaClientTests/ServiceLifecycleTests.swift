import KafkaClient
import Logging
import ServiceLifecycle
import Testing

@Suite(.serialized, .enabled(if: TestBroker.isAvailable, TestBroker.unavailableReason), .timeLimit(.minutes(1)))
struct ServiceLifecycleTests {
    @Test(arguments: TestBroker.available)
    func gracefulShutdownClosesProducerConsumerAndAdmin(broker: TestBroker) async throws {
        let context = try await IntegrationContext.make(broker)
        let topic = try await context.createTopic("service", partitions: 1)
        var producerConfiguration = context.producerConfiguration()
        producerConfiguration.lingerMs = 60_000
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let consumer = try KafkaConsumer(configuration: context.consumerConfiguration())
        let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [context.bootstrapServer]))
        let group = ServiceGroup(services: [producer, consumer, admin], logger: Logger(label: "test"))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let pending = try await producer.enqueue(topic: topic, value: "buffered until shutdown")
            await group.triggerGracefulShutdown()
            // Shutdown closes the producer, which sends what it buffered despite the long linger.
            #expect(try await pending.get().offset == 0)
            try await tasks.waitForAll()
        }
        let error = try await #require(throws: KafkaError.self) { try await admin.listTopics() }
        #expect(error.code == .shutdown)
        let consumerError = try await #require(throws: KafkaError.self) { try await consumer.poll() }
        #expect(consumerError.code == .shutdown)
        await context.close()
    }
}
