import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// The versions Samsa advertises up to Kafka 3.9's maxima, each doing what that version means:
/// Fetch names topics by id from v13, ListOffsets answers the earliest-local and latest-tiered
/// timestamps of v8 and v9, and the versions that only add fields or error codes answer as before.
@Suite("Kafka 3.9's API versions", .serialized, .tags(.component))
struct KafkaThreeNineVersionsTests {
    static func fetch(_ topicId: KafkaUUID, on connection: inout RawKafkaConnection, version: Int16) async throws -> FetchResponse {
        try await connection.roundTrip(
            FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                topics: [.init(topicId: topicId, partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
            version: version)
    }

    @Test(arguments: [Int16(13), 15, 16, 17])
    func fetchFromVersionThirteenNamesTopicsByTheirId(version: Int16) async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("by-id")
                let produced = try await connection.roundTrip(
                    BrokerRequestTests.produce("by-id", try BrokerRequestTests.batch(["a", "b"])), version: 11)
                #expect(BrokerRequestTests.produceError(produced) == .noError)
                let metadata = try await connection.roundTrip(MetadataRequest(topics: [.init(name: "by-id")]), version: 12)
                let topicId = try #require(metadata.topics.first?.topicId)

                let fetched = try await Self.fetch(topicId, on: &connection, version: version)
                let topic = try #require(fetched.responses.first)
                #expect(topic.topicId == topicId)
                let partition = try #require(topic.partitions.first)
                #expect(partition.errorCode == 0)
                #expect(partition.highWatermark == 2)
                #expect((partition.records?.readableBytes ?? 0) > 0)

                let unknown = try await Self.fetch(KafkaUUID.random(), on: &connection, version: version)
                #expect(unknown.responses.first?.partitions.first.map { ErrorCode(rawValue: $0.errorCode) } == .unknownTopicId)
            }
        }
    }

    @Test func listOffsetsAnswersEarliestLocalAndLatestTiered() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("tiers")
                let produced = try await connection.roundTrip(
                    BrokerRequestTests.produce("tiers", try BrokerRequestTests.batch(["a", "b", "c"])), version: 11)
                #expect(BrokerRequestTests.produceError(produced) == .noError)
                var offsets: [Int64: Int64] = [:]
                for timestamp: Int64 in [-1, -2, -4, -5] {
                    let response = try await connection.roundTrip(
                        ListOffsetsRequest(
                            replicaId: -1, topics: [.init(name: "tiers", partitions: [.init(partitionIndex: 0, timestamp: timestamp)])]),
                        version: 9)
                    let partition = try #require(response.topics.first?.partitions.first)
                    #expect(partition.errorCode == 0)
                    offsets[timestamp] = partition.offset
                }
                #expect(offsets == [-1: 3, -2: 0, -4: 0, -5: -1], "nothing is tiered: local starts at the log start, no tiered offset")
            }
        }
    }

    @Test func versionsThatOnlyAddFieldsAnswerAsBefore() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let coordinator = try await connection.roundTrip(
                    FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["a-group"]), version: 6)
                #expect(coordinator.coordinators.first?.errorCode == 0)
                #expect(coordinator.coordinators.first?.nodeId == 1)
                let share = try await connection.roundTrip(FindCoordinatorRequest(keyType: 2, coordinatorKeys: ["g:t:0"]), version: 6)
                #expect(share.coordinators.first.map { ErrorCode(rawValue: $0.errorCode) } == .invalidRequest, "no share groups")
                let producerId = try await connection.roundTrip(
                    InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000), version: 5)
                #expect(producerId.errorCode == 0)
                #expect(producerId.producerId >= 0)
            }
        }
    }
}
