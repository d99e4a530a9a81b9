import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct ConfigurationTests {
    @Test func producerDefaultsAreKafkaPythons() {
        let configuration = KafkaProducerConfiguration()
        #expect(configuration.acks == .all)
        #expect(configuration.enableIdempotence)
        #expect(configuration.lingerMs == 0)
        #expect(configuration.batchSize == 16384)
        #expect(configuration.maxRequestSize == 1_048_576)
        #expect(configuration.retries == .max)
        #expect(configuration.retryBackoffMs == 100)
        #expect(configuration.requestTimeoutMs == 30000)
        #expect(configuration.deliveryTimeoutMs == 120_000)
        #expect(configuration.maxInFlightRequestsPerConnection == 5)
        #expect(configuration.compressionType == .none)
        #expect(configuration.bootstrapServers == ["localhost:9092"])
    }

    @Test func consumerDefaultsAreKafkaPythons() {
        let configuration = KafkaConsumerConfiguration()
        #expect(configuration.groupId == nil)
        #expect(configuration.groupInstanceId == nil)
        #expect(configuration.autoOffsetReset == .latest)
        #expect(configuration.enableAutoCommit)
        #expect(configuration.autoCommitIntervalMs == 5000)
        #expect(configuration.maxPollRecords == 500)
        #expect(configuration.fetchMinBytes == 1)
        #expect(configuration.fetchMaxWaitMs == 500)
        #expect(configuration.maxPartitionFetchBytes == 1_048_576)
        #expect(configuration.sessionTimeoutMs == 45000)
        #expect(configuration.heartbeatIntervalMs == 3000)
        #expect(configuration.isolationLevel == .readUncommitted)
        #expect(configuration.consumerTimeoutMs == nil)
        #expect(configuration.partitionAssignmentStrategy.map(\.name) == ["range", "roundrobin"])
    }

    @Test func producerPropertiesTakeSnakeCaseAndDottedKeys() throws {
        let configuration = try KafkaProducerConfiguration(properties: [
            "bootstrap_servers": "a:1, b:2", "acks": "1", "compression.type": "gzip", "linger.ms": "5",
            "batch_size": "1000", "enable.idempotence": "false", "max.in.flight.requests.per.connection": "1",
        ])
        #expect(configuration.bootstrapServers == ["a:1", "b:2"])
        #expect(configuration.acks == .leader)
        #expect(configuration.compressionType == .gzip)
        #expect(configuration.lingerMs == 5)
        #expect(configuration.batchSize == 1000)
        #expect(!configuration.enableIdempotence)
        #expect(configuration.maxInFlightRequestsPerConnection == 1)
    }

    @Test func consumerPropertiesTakeSnakeCaseAndDottedKeys() throws {
        let configuration = try KafkaConsumerConfiguration(properties: [
            "group.id": "my-group", "group.instance.id": "worker-1", "auto_offset_reset": "earliest", "enable.auto.commit": "false",
            "partition.assignment.strategy": "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "consumer_timeout_ms": "1000", "isolation.level": "read_committed",
        ])
        #expect(configuration.groupId == "my-group")
        #expect(configuration.groupInstanceId == "worker-1")
        #expect(configuration.autoOffsetReset == .earliest)
        #expect(!configuration.enableAutoCommit)
        #expect(configuration.partitionAssignmentStrategy.map(\.name) == ["roundrobin"])
        #expect(configuration.consumerTimeoutMs == 1000)
        #expect(configuration.isolationLevel == .readCommitted)
        #expect(try KafkaConsumerConfiguration(properties: ["consumer_timeout_ms": "inf"]).consumerTimeoutMs == nil)
    }

    @Test func adminPropertiesTakeDottedKeys() throws {
        let configuration = try KafkaAdminConfiguration(properties: ["bootstrap.servers": "broker:9093", "request.timeout.ms": "500"])
        #expect(configuration.bootstrapServers == ["broker:9093"])
        #expect(configuration.requestTimeoutMs == 500)
    }

    @Test func unknownKeysAndBadValuesAreRefused() {
        let unknown = #expect(throws: KafkaError.self) { try KafkaProducerConfiguration(properties: ["lingerr.ms": "5"]) }
        #expect(unknown?.code == .invalidConfiguration)
        #expect(unknown?.message.contains("lingerr.ms") == true)
        let badAcks = #expect(throws: KafkaError.self) { try KafkaProducerConfiguration(properties: ["acks": "2"]) }
        #expect(badAcks?.message.contains("acks") == true)
        #expect(throws: KafkaError.self) { try KafkaConsumerConfiguration(properties: ["max.poll.records": "many"]) }
        #expect(throws: KafkaError.self) { try KafkaProducerConfiguration(properties: ["linger.ms": "1", "linger_ms": "2"]) }
    }

    /// Properties that hold code (serializers, the partitioner) have no text form, so no option;
    /// `security` holds one option per property of its own.
    @Test func everyStoredPropertyButCodeHasOneOption() {
        func check<Configuration>(_ configuration: Configuration, _ options: [ClientOption<Configuration>], codeProperties: Int) {
            let securityOptions = Mirror(reflecting: KafkaSecurityOptions()).children.count
            let stored = Mirror(reflecting: configuration).children.count - 1 + securityOptions
            #expect(options.count == stored - codeProperties, "declare the new option in options")
            #expect(Set(options.map(\.name)).count == options.count, "an option is declared twice")
        }
        check(KafkaProducerConfiguration(), KafkaProducerConfiguration.options, codeProperties: 3)
        check(KafkaConsumerConfiguration(), KafkaConsumerConfiguration.options, codeProperties: 2)
        check(KafkaAdminConfiguration(), KafkaAdminConfiguration.options, codeProperties: 0)
    }

    static let javaSpellings =
        KafkaProducerConfiguration.options.map { ("producer", $0.javaName) }
        + KafkaConsumerConfiguration.options.map { ("consumer", $0.javaName) }
        + KafkaAdminConfiguration.options.map { ("admin", $0.javaName) }

    @Test("every option is read under its Java spelling", arguments: javaSpellings)
    func optionHasItsJavaSpelling(client: String, key: String) {
        let properties = [key: "not valid!"]
        do {
            switch client {
            case "producer": _ = try KafkaProducerConfiguration(properties: properties)
            case "consumer": _ = try KafkaConsumerConfiguration(properties: properties)
            default: _ = try KafkaAdminConfiguration(properties: properties)
            }
        } catch {
            #expect(error.message.contains("'\(key)' must be"), "\(error.message)")
        }
    }

    @Test func declaredRangesAreCheckedBeforeAClientStarts() throws {
        var producer = KafkaProducerConfiguration()
        producer.batchSize = 0
        let batch = #expect(throws: KafkaError.self) { try producer.clusterConfiguration() }
        #expect(batch?.message == "batch_size must be positive, not 0")
        var consumer = KafkaConsumerConfiguration()
        consumer.consumerTimeoutMs = -5
        let timeout = #expect(throws: KafkaError.self) { try consumer.clusterConfiguration() }
        #expect(timeout?.message == "consumer_timeout_ms must not be negative")
        var admin = try KafkaAdminConfiguration(properties: ["request.timeout.ms": "0"])
        #expect(throws: KafkaError.self) { try admin.clusterConfiguration() }
        admin.requestTimeoutMs = 1
        _ = try admin.clusterConfiguration()
        #expect(throws: KafkaError.self) { try KafkaConsumerConfiguration(properties: ["partition.assignment.strategy": "sticky"]) }
    }

    @Test("every codec Kafka defines is available to the producer", arguments: [KafkaCompressionType.gzip, .lz4, .zstd, .snappy])
    func everyCompressionTypeStartsAProducer(compressionType: KafkaCompressionType) async throws {
        var configuration = KafkaProducerConfiguration()
        configuration.compressionType = compressionType
        let producer = try KafkaProducer(configuration: configuration)
        await producer.close(timeoutMs: 1_000)
    }

    @Test func bootstrapServersParse() {
        #expect(BrokerAddress("localhost") == BrokerAddress(host: "localhost", port: 9092))
        #expect(BrokerAddress("127.0.0.1:19092") == BrokerAddress(host: "127.0.0.1", port: 19092))
        #expect(BrokerAddress("[::1]:9093") == BrokerAddress(host: "::1", port: 9093))
        #expect(BrokerAddress("host:0") == nil)
        #expect(BrokerAddress.list("a:1,b") == [BrokerAddress(host: "a", port: 1), BrokerAddress(host: "b", port: 9092)])
    }

    @Test func reconnectBackoffDoublesUpToTheMaximum() {
        var backoff = ReconnectBackoff(initialMs: 50, maximumMs: 1000)
        let delays = (0..<7).map { _ in backoff.failed(jitter: 1.0) }
        #expect(delays == [50, 100, 200, 400, 800, 1000, 1000].map { .milliseconds($0) })
        backoff.succeeded()
        #expect(backoff.failed(jitter: 1.2) == .milliseconds(60))
    }

    @Test func serializersAndDeserializers() throws {
        #expect(try KafkaSerializer.bytes.serialize("hé") == .init(string: "hé"))
        #expect(try KafkaSerializer.json.serialize(["str": "result 1"]) == .init(string: #"{"str":"result 1"}"#))
        let wrongType = #expect(throws: KafkaError.self) { try KafkaSerializer.utf8.serialize(42) }
        #expect(wrongType?.code == .serializationFailed)
        #expect(try KafkaDeserializer.utf8.deserialize(.init(string: "hé")) as? String == "hé")
        struct Message: Codable, Equatable { var str: String }
        #expect(try KafkaDeserializer.json(Message.self).deserialize(.init(string: #"{"str":"x"}"#)) as? Message == Message(str: "x"))
    }
}
