import Foundation
import KafkaProtocol
import SamsaTestSupport
import Testing

/// What a restart must keep: topics with their ids, partitions and settings, data, and the
/// folder's identity in meta.properties.
@Suite("Broker restarts", .serialized, .tags(.component))
struct BrokerRestartTests {
    struct TopicState: Equatable, Sendable {
        var id: KafkaUUID
        var partitions: Int
        var retention: String?
        var endOffset: Int64?
    }

    private func observe(port: Int) async throws -> TopicState {
        try await RawKafkaConnection.with(port: port) { connection in
            let metadata = try await connection.roundTrip(MetadataRequest(topics: [.init(name: "kept")]), version: 12)
            let configs = try await connection.roundTrip(
                DescribeConfigsRequest(resources: [.init(resourceType: 2, resourceName: "kept", configurationKeys: ["retention.ms"])]),
                version: 4)
            let offsets = try await connection.roundTrip(
                ListOffsetsRequest(replicaId: -1, topics: [.init(name: "kept", partitions: [.init(partitionIndex: 1, timestamp: -1)])]),
                version: 7)
            return TopicState(
                id: metadata.topics.first?.topicId ?? .zero, partitions: metadata.topics.first?.partitions.count ?? 0,
                retention: configs.results.first?.configs.first?.value, endOffset: offsets.topics.first?.partitions.first?.offset)
        }
    }

    @Test func topicsTheirIdsSettingsAndDataSurviveARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("kept", partitions: 2)
                let altered = try await connection.roundTrip(
                    IncrementalAlterConfigsRequest(resources: [
                        .init(
                            resourceType: 2, resourceName: "kept",
                            configs: [.init(name: "retention.ms", configOperation: 0, value: "123456")])
                    ]), version: 1)
                #expect(altered.responses.first?.errorCode == 0)
                let produced = try await connection.roundTrip(
                    BrokerRequestTests.produce("kept", try BrokerRequestTests.batch(["a", "b", "c"]), partition: 1), version: 9)
                #expect(BrokerRequestTests.produceError(produced) == .noError)
            }
            return try await observe(port: broker.port)
        }
        let meta = try String(contentsOfFile: folder + "/meta.properties", encoding: .utf8)
        #expect(meta.contains("node.id=1"))
        #expect(meta.contains("cluster.id="))
        #expect(FileManager.default.fileExists(atPath: folder + "/.kafka_cleanshutdown"))

        let after = try await InProcessBroker.with(dataDirectory: folder) { broker in try await observe(port: broker.port) }
        #expect(before == TopicState(id: before.id, partitions: 2, retention: "123456", endOffset: 3))
        #expect(before.id != .zero)
        #expect(after == before)
    }

    @Test func aDataFolderOfAnotherNodeIsRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-node-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await InProcessBroker.with(dataDirectory: folder) { _ in }
        await #expect(throws: (any Error).self) {
            try await InProcessBroker.with(settings: ["node.id": "2"], dataDirectory: folder) { _ in }
        }
    }
}
