import KafkaBroker
import KafkaProtocol
import Logging
import SamsaTestSupport
import Testing

/// Every topic setting Kafka 3.9 accepts, deprecated ones included, is accepted by CreateTopics,
/// AlterConfigs and IncrementalAlterConfigs and reported by DescribeConfigs; one that changes
/// nothing in Samsa gets one warning line.
@Suite("Topic config compatibility", .serialized, .tags(.component))
struct TopicConfigCompatibilityTests {
    static let topicResource: Int8 = 2

    /// Kafka 3.9's topic settings that mean nothing for a single broker without tiered storage.
    static let settingsWithoutEffect: [String: String] = [
        "message.format.version": "2.8", "message.downconversion.enable": "false",
        "leader.replication.throttled.replicas": "0:1", "follower.replication.throttled.replicas": "*",
        "unclean.leader.election.enable": "true", "preallocate": "true", "remote.storage.enable": "false",
        "local.retention.ms": "-2", "local.retention.bytes": "1000", "compression.gzip.level": "5",
        "compression.lz4.level": "9", "compression.zstd.level": "3", "remote.log.copy.disable": "false",
        "remote.log.delete.on.disable": "false", "segment.jitter.ms": "10",
    ]

    static func describe(_ topic: String, on connection: inout RawKafkaConnection) async throws -> [String: String] {
        let described = try await connection.roundTrip(
            DescribeConfigsRequest(resources: [.init(resourceType: topicResource, resourceName: topic, configurationKeys: nil)]),
            version: 4)
        let configs = try #require(described.results.first?.configs)
        return Dictionary(uniqueKeysWithValues: configs.map { ($0.name, $0.value ?? "null") })
    }

    @Test func kafkasDeprecatedAndIgnoredTopicSettingsAreAcceptedDescribedAndWarnedAbout() async throws {
        let lines = RecordedLogLines()
        let logger = Logger(label: "samsa.test") { _ in RecordingLogHandler(lines: lines, logLevel: .warning) }
        try await InProcessBroker.with(logger: logger) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("legacy", configs: Self.settingsWithoutEffect)
                let described = try await Self.describe("legacy", on: &connection)
                for (key, value) in Self.settingsWithoutEffect {
                    #expect(described[key] == value, "\(key)")
                }
                for key in Self.settingsWithoutEffect.keys {
                    #expect(lines.count(containing: "\(key)=") == 1, "one warning for \(key)")
                }
                let altered = try await connection.roundTrip(
                    AlterConfigsRequest(resources: [
                        .init(
                            resourceType: Self.topicResource, resourceName: "legacy",
                            configs: [.init(name: "message.format.version", value: "0.10.0")])
                    ]),
                    version: 2)
                #expect(altered.responses.first?.errorCode == 0)
                #expect(try await Self.describe("legacy", on: &connection)["message.format.version"] == "0.10.0")
                #expect(lines.count(containing: "message.format.version=") == 2)
                let badType = try await connection.roundTrip(
                    IncrementalAlterConfigsRequest(resources: [
                        .init(
                            resourceType: Self.topicResource, resourceName: "legacy",
                            configs: [.init(name: "message.downconversion.enable", configOperation: 0, value: "sometimes")])
                    ]), version: 1)
                #expect(badType.responses.first.map { ErrorCode(rawValue: $0.errorCode) } == .invalidConfig)
            }
        }
    }

    @Test func subtractingTheLastCleanupPolicyLeavesAnEmptyList() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("kept-forever")
                let subtracted = try await connection.roundTrip(
                    IncrementalAlterConfigsRequest(resources: [
                        .init(
                            resourceType: Self.topicResource, resourceName: "kept-forever",
                            configs: [.init(name: "cleanup.policy", configOperation: 3, value: "delete")])
                    ]), version: 1)
                #expect(subtracted.responses.first?.errorCode == 0)
                #expect(try await Self.describe("kept-forever", on: &connection)["cleanup.policy"] == "")
            }
        }
    }
}
