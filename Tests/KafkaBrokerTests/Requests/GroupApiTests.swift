import Foundation
import KafkaProtocol
import SamsaTestSupport
import Testing

/// Group APIs that the client interop tests do not reach: filters, OffsetDelete, offset expiry,
/// `__consumer_offsets` as an internal topic, batched FindCoordinator.
@Suite("Group APIs", .serialized, .tags(.component))
struct GroupApiTests {
    static func commit(group: String, topic: String, offset: Int64, on connection: inout RawKafkaConnection) async throws -> Int16? {
        let response = try await connection.roundTrip(
            OffsetCommitRequest(
                groupId: group, generationIdOrMemberEpoch: -1, memberId: "",
                topics: [.init(name: topic, partitions: [.init(partitionIndex: 0, committedOffset: offset, committedMetadata: "m")])]),
            version: 8)
        return response.topics.first?.partitions.first?.errorCode
    }

    static func committed(group: String, topic: String, on connection: inout RawKafkaConnection) async throws -> Int64? {
        let response = try await connection.roundTrip(
            OffsetFetchRequest(groupId: group, topics: [.init(name: topic, partitionIndexes: [0])]), version: 7)
        return response.topics.first?.partitions.first?.committedOffset
    }

    @Test func offsetsCommitFetchDeleteAndListings() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("tracked")
                #expect(try await Self.commit(group: "standalone", topic: "tracked", offset: 42, on: &connection) == 0)
                #expect(
                    try await Self.commit(group: "standalone", topic: "missing", offset: 1, on: &connection)
                        == ErrorCode.unknownTopicOrPartition.rawValue)
                #expect(try await Self.committed(group: "standalone", topic: "tracked", on: &connection) == 42)

                let batched = try await connection.roundTrip(
                    OffsetFetchRequest(groups: [.init(groupId: "standalone", topics: nil), .init(groupId: "nobody", topics: nil)]),
                    version: 8)
                #expect(batched.groups.map(\.groupId) == ["standalone", "nobody"])
                #expect(batched.groups.first?.topics.first?.partitions.first?.committedOffset == 42)
                #expect(batched.groups.last?.topics.isEmpty == true)

                let coordinators = try await connection.roundTrip(
                    FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["a", "b"]), version: 4)
                #expect(coordinators.coordinators.map(\.key) == ["a", "b"])
                #expect(coordinators.coordinators.allSatisfy { $0.nodeId == 1 && $0.port == Int32(broker.port) })

                let all = try await connection.roundTrip(ListGroupsRequest(), version: 5)
                #expect(all.groups.map(\.groupId) == ["standalone"])
                #expect(all.groups.first?.groupState == "Empty")
                let stable = try await connection.roundTrip(ListGroupsRequest(statesFilter: ["Stable"]), version: 5)
                #expect(stable.groups.isEmpty)

                let deleted = try await connection.roundTrip(
                    OffsetDeleteRequest(groupId: "standalone", topics: [.init(name: "tracked", partitions: [.init(partitionIndex: 0)])]),
                    version: 0)
                #expect(deleted.errorCode == 0)
                #expect(deleted.topics.first?.partitions.first?.errorCode == 0)
                #expect(try await Self.committed(group: "standalone", topic: "tracked", on: &connection) == -1)

                let metadata = try await connection.roundTrip(MetadataRequest(topics: [.init(name: "__consumer_offsets")]), version: 12)
                #expect(metadata.topics.first?.isInternal == true)
                #expect(metadata.topics.first?.partitions.count == 50)
            }
        }
    }

    @Test func offsetsOfGroupsWithoutMembersExpire() async throws {
        try await InProcessBroker.with(settings: ["offsets.retention.minutes": "0", "offsets.retention.check.interval.ms": "100"]) {
            broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("fleeting")
                #expect(try await Self.commit(group: "forgetful", topic: "fleeting", offset: 5, on: &connection) == 0)
                // The offsets' tombstones are written before the emptied group is removed, so a
                // client may briefly see the group without offsets: wait for both.
                var committed: Int64? = 5
                var groups = try await connection.roundTrip(ListGroupsRequest(), version: 5).groups
                let deadline = ContinuousClock.now + .seconds(30)
                while (committed != -1 || !groups.isEmpty) && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    committed = try await Self.committed(group: "forgetful", topic: "fleeting", on: &connection)
                    groups = try await connection.roundTrip(ListGroupsRequest(), version: 5).groups
                }
                #expect(committed == -1)
                #expect(groups.isEmpty, "a group with neither members nor offsets is gone")
            }
        }
    }
}
