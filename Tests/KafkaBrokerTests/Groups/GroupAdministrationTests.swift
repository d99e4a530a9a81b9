import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Describe, list, delete and persist groups", .tags(.pure))
struct GroupAdministrationTests {
    @Test func describeShowsMembersAndAssignmentsOnceStable() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        #expect(
            h.group.describe()
                == GroupDescription(
                    groupId: "g", state: .stable, protocolType: "consumer", protocolName: "range",
                    members: [
                        GroupMemberDescription(
                            memberId: "a-m1", clientId: "a", clientHost: "/127.0.0.1", metadata: subscription,
                            assignment: partitions("a")),
                        GroupMemberDescription(
                            memberId: "b-m2", clientId: "b", clientHost: "/127.0.0.1", metadata: subscription,
                            assignment: partitions("b")),
                    ]))
        #expect(h.group.listing == GroupListing(groupId: "g", protocolType: "consumer", state: .stable))

        _ = h.join(consumer(client: "c"), id: 1, at: 100)
        #expect(
            h.group.describe()
                == GroupDescription(
                    groupId: "g", state: .preparingRebalance, protocolType: "consumer", protocolName: "",
                    members: ["a", "b", "c"].enumerated().map { index, client in
                        GroupMemberDescription(
                            memberId: "\(client)-m\(index + 1)", clientId: client, clientHost: "/127.0.0.1",
                            metadata: ByteBuffer(), assignment: ByteBuffer())
                    }))
        #expect(
            GroupState.allCases.map(\.rawValue) == [
                "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead",
            ])
    }

    @Test func onlyAnEmptyGroupCanBeDeleted() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(h.group.deleteGroup() == .nonEmptyGroup)
        _ = h.leave([GroupMemberIdentity(memberId: "a-m1")], id: 1, at: 100)
        #expect(h.group.deleteGroup() == .noError)
        #expect(h.group.state == .dead)
        #expect(h.group.deleteGroup() == .groupIdNotFound)
        #expect(
            h.join(consumer(client: "b"), id: 2, at: 200) == [
                .completeJoin(2, .failure(.coordinatorNotAvailable, memberId: ""))
            ])
        #expect(h.heartbeat("a-m1", generation: 2, id: 3, at: 200) == [.completeHeartbeat(3, .coordinatorNotAvailable)])
        #expect(h.sync("a-m1", generation: 2, id: 4, at: 200) == [.completeSync(4, .failure(.coordinatorNotAvailable))])
        #expect(
            h.leave([GroupMemberIdentity(memberId: "a-m1")], id: 5, at: 200) == [
                .completeLeave(5, LeaveGroupResult(error: .coordinatorNotAvailable, members: []))
            ])
    }

    @Test func aSnapshotRestoresAStableGroupThatMembersCanKeepUsing() {
        let h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        let snapshot = h.group.snapshot()
        #expect(
            snapshot
                == GroupMetadataSnapshot(
                    groupId: "g", protocolType: "consumer", generationId: 2, protocolName: "range", leaderId: "a-m1",
                    members: ["a", "b"].enumerated().map { index, client in
                        GroupMemberSnapshot(
                            memberId: "\(client)-m\(index + 1)", groupInstanceId: nil, clientId: client,
                            clientHost: "/127.0.0.1", rebalanceTimeoutMs: 30_000, sessionTimeoutMs: 10_000,
                            subscription: subscription, assignment: partitions(client))
                    }))

        let restoration = GroupStateMachine.restore(snapshot, now: at(60_000))
        var restored = restoration.group
        #expect(
            restoration.actions == [
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(70_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "b-m2", deadline: at(70_000)),
            ])
        #expect(restored.describe() == h.group.describe())
        #expect(
            restored.heartbeat(memberId: "b-m2", generationId: 2, id: 1, now: at(61_000)) == [
                .completeHeartbeat(1, .noError)
            ])
        #expect(restored.validateOffsetCommit(memberId: "a-m1", generationId: 2, now: at(61_000)) == .noError)
    }

    @Test func anEmptySnapshotRestoresAnEmptyGroup() {
        let snapshot = GroupMetadataSnapshot(
            groupId: "g", protocolType: "consumer", generationId: 7, protocolName: nil, leaderId: nil, members: [])
        let restoration = GroupStateMachine.restore(snapshot, now: at(0))
        var restored = restoration.group
        #expect(restoration.actions == [])
        #expect(restored.state == .empty)
        var memberIds = MemberIdGenerator(prefix: "m")
        #expect(
            restored.joinGroup(consumer(client: "a"), id: 1, now: at(0), memberIds: &memberIds).first
                == .completeJoin(
                    1, joined("a-m1", generation: 8, leader: "a-m1", members: ["a-m1"])))
    }
}
