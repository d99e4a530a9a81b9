import KafkaClient
import SamsaTestSupport
import Testing

@Suite(.tags(.component)) struct BadInputTests {
    @Test(.timeLimit(.minutes(1)))
    func unreachableBootstrapServersFailWithinTheBootstrapTimeout() async throws {
        // Port 1 on loopback refuses connections immediately.
        var configuration = KafkaAdminConfiguration(bootstrapServers: ["127.0.0.1:1", "127.0.0.1:2"])
        configuration.bootstrapTimeoutMs = 500
        configuration.reconnectBackoffMs = 50
        let admin = try KafkaAdminClient(configuration: configuration)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await admin.listTopics() }
        #expect(error.code == .connectionFailed)
        #expect(error.isRetriable)
        #expect(error.message.contains("127.0.0.1:1") && error.message.contains("127.0.0.1:2"))
        #expect(ContinuousClock.now - started < .seconds(5))
        await admin.close()
    }

    /// The group path used to retry FindCoordinator forever, so `poll` returned nothing for as long
    /// as it was called and iteration ended with no records and no error.
    @Test(.timeLimit(.minutes(1)))
    func aGroupConsumerWithAnUnreachableBootstrapFailsItsPollAndIteration() async throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["127.0.0.1:1"], groupId: "unreachable")
        configuration.bootstrapTimeoutMs = 500
        configuration.consumerTimeoutMs = 60_000
        let consumer = try KafkaConsumer(configuration: configuration)
        try await consumer.subscribe(topics: ["orders"])
        let started = ContinuousClock.now
        let pollError = try await #require(throws: KafkaError.self) { try await consumer.poll(timeoutMs: 30_000) }
        #expect(pollError.code == .connectionFailed)
        #expect(pollError.message.contains("127.0.0.1:1"))
        let iterationError = try await #require(throws: KafkaError.self) {
            for try await _ in consumer {}
        }
        #expect(iterationError.code == .connectionFailed)
        #expect(ContinuousClock.now - started < .seconds(10))
        await consumer.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aBrokerClosingTheConnectionMidRequestGivesAClearError() async throws {
        let broker = try await FakeBroker { _, _ in .close }
        var configuration = KafkaAdminConfiguration(bootstrapServers: [broker.address])
        configuration.bootstrapTimeoutMs = 1000
        let admin = try KafkaAdminClient(configuration: configuration)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await admin.listTopics() }
        #expect([.connectionClosed, .connectionFailed].contains(error.code))
        #expect(error.isRetriable)
        #expect(error.message.contains(broker.address))
        #expect(ContinuousClock.now - started < .seconds(15))
        await admin.close()
        await broker.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aBrokerThatNeverAnswersTimesOutAfterRequestTimeout() async throws {
        let broker = try await FakeBroker { _, _ in .silence }
        var configuration = KafkaAdminConfiguration(bootstrapServers: [broker.address])
        configuration.requestTimeoutMs = 300
        configuration.bootstrapTimeoutMs = 1000
        let admin = try KafkaAdminClient(configuration: configuration)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await admin.listTopics() }
        #expect(error.code == .requestTimedOut)
        #expect(error.message.contains("Metadata"))
        // Three attempts of 300 ms each; the bound leaves room for a loaded machine, not for a hang.
        #expect(ContinuousClock.now - started < .seconds(15))
        await admin.close()
        await broker.close()
    }

    @Test func malformedBootstrapServerIsAConfigurationError() {
        let error = #expect(throws: KafkaError.self) {
            try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: ["host:notaport"]))
        }
        #expect(error?.code == .invalidConfiguration)
    }
}
