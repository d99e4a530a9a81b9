import Foundation
import KafkaProtocol
import SamsaTestSupport
import Testing

/// DeleteRecords, DescribeLogDirs and the authorized operations of Metadata, DescribeCluster and
/// DescribeGroups, as raw requests against the in-process broker.
@Suite("Records, log dirs and authorized operations", .serialized, .tags(.component))
struct RecordsAndLogDirsTests {
    static func deleteRecords(_ topic: String, _ offsets: [Int32: Int64]) -> DeleteRecordsRequest {
        DeleteRecordsRequest(
            topics: [
                .init(name: topic, partitions: offsets.sorted { $0.key < $1.key }.map { .init(partitionIndex: $0.key, offset: $0.value) })
            ],
            timeoutMs: 5_000)
    }

    static func results(_ response: DeleteRecordsResponse) -> [(ErrorCode, Int64)] {
        response.topics.flatMap { $0.partitions.map { (ErrorCode(rawValue: $0.errorCode), $0.lowWatermark) } }
    }

    static func earliest(_ topic: String, on connection: inout RawKafkaConnection) async throws -> Int64? {
        let response = try await connection.roundTrip(
            ListOffsetsRequest(replicaId: -1, topics: [.init(name: topic, partitions: [.init(partitionIndex: 0, timestamp: -2)])]),
            version: 7)
        return response.topics.first?.partitions.first?.offset
    }

    static func fetch(_ topic: String, from offset: Int64, on connection: inout RawKafkaConnection) async throws -> FetchResponse
        .PartitionData?
    {
        let response = try await connection.roundTrip(
            FetchRequest(
                replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20)])]),
            version: 12)
        return response.responses.first?.partitions.first
    }

    @Test func apiVersionsAdvertisesKafkaThreeNinesVersionsOfBoth() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.roundTrip(ApiVersionsRequest(), version: 3)
                let ranges = Dictionary(uniqueKeysWithValues: response.apiKeys.map { ($0.apiKey, $0.minVersion...$0.maxVersion) })
                #expect(ranges[ApiKey.deleteRecords.rawValue] == 0...2)
                #expect(ranges[ApiKey.describeLogDirs.rawValue] == 0...4)
            }
        }
    }

    @Test(arguments: [Int16(0), 1, 2])
    func deleteRecordsMovesTheLogStartOffsetThatFetchAndListOffsetsHonour(version: Int16) async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("trimmed")
                for _ in 0..<3 {
                    let produced = try await connection.roundTrip(
                        BrokerRequestTests.produce("trimmed", try BrokerRequestTests.batch(["a", "b"])), version: 9)
                    #expect(BrokerRequestTests.produceError(produced) == .noError)
                }
                let deleted = try await connection.roundTrip(Self.deleteRecords("trimmed", [0: 3]), version: version)
                #expect(Self.results(deleted).map(\.0) == [.noError])
                #expect(Self.results(deleted).map(\.1) == [3])
                #expect(try await Self.earliest("trimmed", on: &connection) == 3)

                let below = try #require(try await Self.fetch("trimmed", from: 1, on: &connection))
                #expect(below.errorCode == ErrorCode.offsetOutOfRange.rawValue)
                #expect(below.logStartOffset == 3)
                let above = try #require(try await Self.fetch("trimmed", from: 3, on: &connection))
                #expect(above.errorCode == 0)
                #expect(above.logStartOffset == 3)

                let backwards = try await connection.roundTrip(Self.deleteRecords("trimmed", [0: 1]), version: version)
                #expect(Self.results(backwards).map(\.1) == [3], "the start never moves back")
                let toTheEnd = try await connection.roundTrip(Self.deleteRecords("trimmed", [0: -1]), version: version)
                #expect(Self.results(toTheEnd).map(\.1) == [6], "-1 is the high watermark")
                #expect(try await Self.earliest("trimmed", on: &connection) == 6)
            }
        }
    }

    @Test func deleteRecordsRefusesOffsetsBeyondTheEndUnknownPartitionsAndInternalTopics() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("short")
                _ = try await connection.roundTrip(BrokerRequestTests.produce("short", try BrokerRequestTests.batch(["a"])), version: 9)
                let beyond = try await connection.roundTrip(Self.deleteRecords("short", [0: 2, 5: 0]), version: 2)
                #expect(Self.results(beyond).map(\.0) == [.offsetOutOfRange, .unknownTopicOrPartition])
                #expect(Self.results(beyond).map(\.1) == [-1, -1])
                let missing = try await connection.roundTrip(Self.deleteRecords("missing", [0: 0]), version: 2)
                #expect(Self.results(missing).map(\.0) == [.unknownTopicOrPartition])
                let internalTopic = try await connection.roundTrip(Self.deleteRecords("__consumer_offsets", [0: 0]), version: 2)
                #expect(Self.results(internalTopic).map(\.0) == [.invalidTopicException])
            }
        }
    }

    @Test func theLogStartOffsetSurvivesARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-records-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("kept")
                _ = try await connection.roundTrip(
                    BrokerRequestTests.produce("kept", try BrokerRequestTests.batch(["a", "b", "c"])), version: 9)
                _ = try await connection.roundTrip(Self.deleteRecords("kept", [0: 2]), version: 2)
            }
        }
        #expect(try String(contentsOfFile: folder + "/log-start-offset-checkpoint", encoding: .utf8).contains("kept 0 2"))
        try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let earliest = try await Self.earliest("kept", on: &connection)
                #expect(earliest == 2)
            }
        }
    }

    @Test func describeLogDirsReportsTheDataFolderAndEachPartitionsSize() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("sized", partitions: 2)
                _ = try await connection.roundTrip(
                    BrokerRequestTests.produce("sized", try BrokerRequestTests.batch(["abc"]), partition: 1), version: 9)

                let all = try await connection.roundTrip(DescribeLogDirsRequest(topics: nil), version: 4)
                let folder = try #require(all.results.first)
                #expect(all.results.count == 1)
                #expect(folder.errorCode == 0)
                #expect(folder.logDir == URL(fileURLWithPath: broker.dataDirectory).standardizedFileURL.path)
                #expect(folder.totalBytes > 0)
                #expect(folder.usableBytes > 0 && folder.usableBytes <= folder.totalBytes)
                #expect(folder.topics.map(\.name).contains("__consumer_offsets"))
                let sized = try #require(folder.topics.first { $0.name == "sized" })
                #expect(sized.partitions.map(\.partitionIndex) == [0, 1])
                #expect(sized.partitions.map(\.offsetLag) == [0, 0])
                #expect(sized.partitions[0].partitionSize == 0)
                #expect(sized.partitions[1].partitionSize > 0)

                let some = try await connection.roundTrip(
                    DescribeLogDirsRequest(topics: [.init(topic: "sized", partitions: [1, 7]), .init(topic: "missing", partitions: [0])]),
                    version: 1)
                let described = try #require(some.results.first)
                #expect(described.topics.map(\.name) == ["sized"])
                #expect(described.topics.first?.partitions.map(\.partitionIndex) == [1])
                #expect(described.topics.first?.partitions.first?.partitionSize == sized.partitions[1].partitionSize)
            }
        }
    }

    @Test func authorizedOperationsAreEverythingKafkaSupportsWhenAskedAndIntMinOtherwise() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("authorized")
                // Topic: READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS.
                let topicOperations: Int32 = 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 8 | 1 << 10 | 1 << 11
                // Cluster: CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE.
                let clusterOperations: Int32 = 1 << 5 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12
                // Group: READ, DELETE, DESCRIBE.
                let groupOperations: Int32 = 1 << 3 | 1 << 6 | 1 << 8

                let asked = try await connection.roundTrip(
                    MetadataRequest(
                        topics: [.init(name: "authorized")], includeClusterAuthorizedOperations: true,
                        includeTopicAuthorizedOperations: true), version: 10)
                #expect(asked.topics.first?.topicAuthorizedOperations == topicOperations)
                #expect(asked.clusterAuthorizedOperations == clusterOperations)
                let notAsked = try await connection.roundTrip(MetadataRequest(topics: [.init(name: "authorized")]), version: 12)
                #expect(notAsked.topics.first?.topicAuthorizedOperations == Int32.min)

                let cluster = try await connection.roundTrip(DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 1)
                #expect(cluster.clusterAuthorizedOperations == clusterOperations)
                let clusterNotAsked = try await connection.roundTrip(DescribeClusterRequest(), version: 1)
                #expect(clusterNotAsked.clusterAuthorizedOperations == Int32.min)

                let group = try await connection.roundTrip(
                    DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true), version: 5)
                #expect(group.groups.first?.authorizedOperations == groupOperations)
                let groupNotAsked = try await connection.roundTrip(DescribeGroupsRequest(groups: ["g"]), version: 5)
                #expect(groupNotAsked.groups.first?.authorizedOperations == Int32.min)
            }
        }
    }
}
