import Foundation
import KafkaProtocol
import SamsaTestSupport
import Testing

/// Kafka's dynamic broker configs over the wire: AlterConfigs and IncrementalAlterConfigs on a
/// BROKER resource (this node's id, or empty for the cluster-wide default) change the settings in
/// force at once, reach topics without their own value, survive a restart, and are reported with
/// their source and synonyms; read-only keys and bad values get Kafka's refusals.
@Suite("Dynamic broker configs", .serialized, .tags(.component))
struct DynamicBrokerConfigTests {
    static let topicResource: Int8 = 2
    static let brokerResource: Int8 = 4

    static func set(
        _ configs: [String: String], broker: String, validateOnly: Bool = false, on connection: inout RawKafkaConnection
    ) async throws -> (ErrorCode?, String?) {
        let response = try await connection.roundTrip(
            IncrementalAlterConfigsRequest(
                resources: [
                    .init(
                        resourceType: brokerResource, resourceName: broker,
                        configs: configs.sorted { $0.key < $1.key }.map { .init(name: $0.key, configOperation: 0, value: $0.value) })
                ], validateOnly: validateOnly), version: 1)
        let result = response.responses.first
        return (result.map { ErrorCode(rawValue: $0.errorCode) }, result?.errorMessage)
    }

    static func describe(
        _ type: Int8, _ name: String, key: String, on connection: inout RawKafkaConnection
    ) async throws -> DescribeConfigsResponse.DescribeConfigsResourceResult? {
        let described = try await connection.roundTrip(
            DescribeConfigsRequest(
                resources: [.init(resourceType: type, resourceName: name, configurationKeys: [key])], includeSynonyms: true),
            version: 4)
        return described.results.first?.configs.first
    }

    @Test func brokerDefaultsReachEveryTopicWithoutItsOwnValue() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("follows")
                try await connection.createTopic("own", configs: ["retention.ms": "5000"])
                #expect(try await Self.set(["log.retention.ms": "60000"], broker: "", on: &connection).0 == .noError)
                var follows = try #require(try await Self.describe(Self.topicResource, "follows", key: "retention.ms", on: &connection))
                #expect(follows.value == "60000")
                #expect(follows.configSource == 3, "DYNAMIC_DEFAULT_BROKER_CONFIG")
                #expect(try await Self.describe(Self.topicResource, "own", key: "retention.ms", on: &connection)?.value == "5000")

                #expect(try await Self.set(["log.retention.ms": "120000"], broker: "1", on: &connection).0 == .noError)
                follows = try #require(try await Self.describe(Self.topicResource, "follows", key: "retention.ms", on: &connection))
                #expect(follows.value == "120000")
                #expect(follows.configSource == 2, "DYNAMIC_BROKER_CONFIG")
                #expect(follows.synonyms.map(\.source) == [2, 3, 5])
                #expect(follows.synonyms.map(\.value) == ["120000", "60000", "168"])
                #expect(follows.synonyms.map(\.name) == ["log.retention.ms", "log.retention.ms", "log.retention.hours"])

                let brokerEntry = try #require(try await Self.describe(Self.brokerResource, "1", key: "log.retention.ms", on: &connection))
                #expect(brokerEntry.value == "120000")
                #expect(brokerEntry.configSource == 2)
                #expect(!brokerEntry.readOnly)
                #expect(brokerEntry.synonyms.map(\.source) == [2, 3, 5])
                let readOnly = try #require(try await Self.describe(Self.brokerResource, "1", key: "log.dirs", on: &connection))
                #expect(readOnly.readOnly)
                #expect(readOnly.configSource == 4, "STATIC_BROKER_CONFIG")

                let deleted = try await connection.roundTrip(
                    IncrementalAlterConfigsRequest(resources: [
                        .init(
                            resourceType: Self.brokerResource, resourceName: "1",
                            configs: [.init(name: "log.retention.ms", configOperation: 1, value: nil)])
                    ]), version: 1)
                #expect(deleted.responses.first?.errorCode == 0)
                #expect(try await Self.describe(Self.topicResource, "follows", key: "retention.ms", on: &connection)?.value == "60000")
            }
        }
    }

    @Test func aLoweredMessageMaxBytesRefusesLargerBatchesAtOnce() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("small")
                let batch = try BrokerRequestTests.batch([String(repeating: "x", count: 2_000)])
                #expect(
                    BrokerRequestTests.produceError(try await connection.roundTrip(BrokerRequestTests.produce("small", batch), version: 9))
                        == .noError)
                #expect(try await Self.set(["message.max.bytes": "1000"], broker: "1", on: &connection).0 == .noError)
                #expect(
                    BrokerRequestTests.produceError(try await connection.roundTrip(BrokerRequestTests.produce("small", batch), version: 9))
                        == .messageTooLarge)
            }
        }
    }

    @Test func readOnlyKeysBadValuesAndOtherBrokersAreRefusedAsKafkaRefusesThem() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let readOnly = try await Self.set(["log.dirs": "/elsewhere", "log.retention.ms": "1"], broker: "1", on: &connection)
                #expect(readOnly.0 == .invalidRequest)
                #expect(readOnly.1 == "Cannot update these configs dynamically: Set(log.dirs)")
                let badValue = try await Self.set(["log.retention.ms": "soon"], broker: "", on: &connection)
                #expect(badValue.0 == .invalidRequest)
                #expect(badValue.1?.hasPrefix("Invalid value soon for configuration log.retention.ms") == true)
                let perBroker = try await Self.set(["advertised.listeners": "PLAINTEXT://localhost:1"], broker: "", on: &connection)
                #expect(perBroker.0 == .invalidRequest)
                #expect(perBroker.1?.hasPrefix("Cannot update these configs at default cluster level") == true)
                let otherBroker = try await Self.set(["log.retention.ms": "1"], broker: "7", on: &connection)
                #expect(otherBroker.0 == .invalidRequest)
                #expect(otherBroker.1 == "Unexpected broker id, expected 1, but received 7")
                let validated = try await Self.set(["log.retention.ms": "1"], broker: "1", validateOnly: true, on: &connection)
                #expect(validated.0 == .noError)
                let unchanged = try await Self.describe(Self.brokerResource, "1", key: "log.retention.ms", on: &connection)
                #expect(unchanged?.value == "604800000", "nothing changed: the refusals and the validation alone")
            }
        }
    }

    @Test func legacyAlterConfigsReplacesTheWholeSetOfTheLevel() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                #expect(
                    try await Self.set(["log.retention.ms": "60000", "log.cleaner.backoff.ms": "1000"], broker: "1", on: &connection).0
                        == .noError)
                let replaced = try await connection.roundTrip(
                    AlterConfigsRequest(resources: [
                        .init(
                            resourceType: Self.brokerResource, resourceName: "1",
                            configs: [.init(name: "log.cleaner.backoff.ms", value: "2000")])
                    ]), version: 2)
                #expect(replaced.responses.first?.errorCode == 0)
                #expect(try await Self.describe(Self.brokerResource, "1", key: "log.retention.ms", on: &connection)?.configSource == 5)
                #expect(try await Self.describe(Self.brokerResource, "1", key: "log.cleaner.backoff.ms", on: &connection)?.value == "2000")
            }
        }
    }

    @Test func dynamicBrokerConfigsSurviveARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-dynamic-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("kept")
                #expect(try await Self.set(["log.retention.ms": "60000"], broker: "", on: &connection).0 == .noError)
                #expect(try await Self.set(["log.segment.bytes": "1048576"], broker: "1", on: &connection).0 == .noError)
            }
        }
        try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let retention = try await Self.describe(Self.topicResource, "kept", key: "retention.ms", on: &connection)
                #expect(retention?.value == "60000")
                #expect(retention?.configSource == 3)
                let segment = try await Self.describe(Self.brokerResource, "1", key: "log.segment.bytes", on: &connection)
                #expect(segment?.value == "1048576")
                #expect(segment?.configSource == 2)
            }
        }
    }
}
