import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Group coordinator: all groups behind one entry point", .tags(.pure))
struct GroupCoordinatorStateMachineTests {
    static func coordinator() -> GroupCoordinatorStateMachine {
        GroupCoordinatorStateMachine(memberIdGenerator: MemberIdGenerator(prefix: "m"))
    }

    /// Group `groupId` with member `<client>-m<n>` alone and Stable in generation 1.
    static func stableGroup(
        _ groupId: String, client: String, memberId: String, in coordinator: inout GroupCoordinatorStateMachine
    ) {
        _ = coordinator.joinGroup(groupId: groupId, consumer(client: client), id: 900, now: at(0))
        let sync = GroupSyncRequest(memberId: memberId, generationId: 1, assignments: [memberId: partitions(client)])
        _ = coordinator.syncGroup(groupId: groupId, sync, id: 901, now: at(0))
    }

    @Test func routesEventsByGroupIdAndNeverReusesAMemberId() {
        var c = Self.coordinator()
        #expect(
            c.joinGroup(groupId: "g1", consumer(client: "a"), id: 1, now: at(0)) == [
                .completeJoin(1, joined("a-m1", generation: 1, leader: "a-m1", members: ["a-m1"])),
                .scheduleRebalanceTimeout(groupId: "g1", deadline: at(30_000)),
                .scheduleSessionTimeout(groupId: "g1", memberId: "a-m1", deadline: at(10_000)),
            ])
        #expect(
            c.joinGroup(groupId: "g2", consumer(client: "a"), id: 2, now: at(0)).first
                == .completeJoin(
                    2, joined("a-m2", generation: 1, leader: "a-m2", members: ["a-m2"])))
        #expect(
            c.heartbeat(groupId: "g1", memberId: "a-m1", generationId: 1, id: 3, now: at(100)) == [
                .completeHeartbeat(3, .noError)
            ])
        #expect(
            c.heartbeat(groupId: "g2", memberId: "a-m1", generationId: 1, id: 4, now: at(100)) == [
                .completeHeartbeat(4, .unknownMemberId)
            ])
        #expect(
            c.sessionTimeoutExpired(groupId: "g1", memberId: "a-m1", now: at(10_000)) == [
                .scheduleSessionTimeout(groupId: "g1", memberId: "a-m1", deadline: at(10_100))
            ])
        // a-m2 never synced: the sync timeout drops it and g2 is left empty.
        #expect(
            c.rebalanceTimeoutExpired(groupId: "g2", now: at(30_000)) == [
                .persistGroup(
                    GroupMetadataSnapshot(
                        groupId: "g2", protocolType: "consumer", generationId: 2, protocolName: nil, leaderId: nil, members: [])),
                .cancelSessionTimeout(groupId: "g2", memberId: "a-m2"),
            ])
        #expect(c.groups["g2"]?.state == .empty)
    }

    @Test func requestsForUnknownGroups() {
        var c = Self.coordinator()
        #expect(
            c.joinGroup(groupId: "g", consumer("a-m9", client: "a"), id: 1, now: at(0)) == [
                .completeJoin(1, .failure(.unknownMemberId, memberId: "a-m9"))
            ])
        #expect(
            c.syncGroup(groupId: "g", GroupSyncRequest(memberId: "a-m9", generationId: 1), id: 2, now: at(0)) == [
                .completeSync(2, .failure(.unknownMemberId))
            ])
        #expect(
            c.heartbeat(groupId: "g", memberId: "a-m9", generationId: 1, id: 3, now: at(0)) == [
                .completeHeartbeat(3, .unknownMemberId)
            ])
        #expect(
            c.leaveGroup(groupId: "g", members: [GroupMemberIdentity(memberId: "a-m9")], id: 4, now: at(0)) == [
                .completeLeave(4, LeaveGroupResult(members: [LeaveGroupMemberResult(memberId: "a-m9", error: .unknownMemberId)]))
            ])
        #expect(c.sessionTimeoutExpired(groupId: "g", memberId: "a-m9", now: at(0)) == [])
        #expect(c.rebalanceTimeoutExpired(groupId: "g", now: at(0)) == [])
        #expect(c.describeGroup("g") == .dead(groupId: "g"))
        #expect(c.deleteGroup("g") == .groupIdNotFound)
        #expect(c.groups.isEmpty)
    }

    @Test func anEmptyGroupIdIsInvalidForMembershipRequests() {
        var c = Self.coordinator()
        #expect(
            c.joinGroup(groupId: "", consumer(client: "a"), id: 1, now: at(0)) == [
                .completeJoin(1, .failure(.invalidGroupId, memberId: ""))
            ])
        #expect(
            c.syncGroup(groupId: "", GroupSyncRequest(memberId: "a", generationId: 1), id: 2, now: at(0)) == [
                .completeSync(2, .failure(.invalidGroupId))
            ])
        #expect(
            c.heartbeat(groupId: "", memberId: "a", generationId: 1, id: 3, now: at(0)) == [
                .completeHeartbeat(3, .invalidGroupId)
            ])
        #expect(
            c.leaveGroup(groupId: "", members: [GroupMemberIdentity(memberId: "a")], id: 4, now: at(0)) == [
                .completeLeave(4, LeaveGroupResult(error: .invalidGroupId, members: []))
            ])
        #expect(c.groups.isEmpty)
    }

    @Test func aRefusedFirstJoinCreatesNoGroupButAPendingMemberDoes() {
        var c = Self.coordinator()
        _ = c.joinGroup(groupId: "g", consumer(client: "a", protocols: []), id: 1, now: at(0))
        _ = c.joinGroup(groupId: "g", consumer(client: "a", session: 1), id: 2, now: at(0))
        #expect(c.groups.isEmpty)
        #expect(
            c.joinGroup(groupId: "g", consumer(client: "a", version: 4), id: 3, now: at(0)).first
                == .completeJoin(
                    3, .failure(.memberIdRequired, memberId: "a-m1")))
        #expect(c.groups["g"]?.state == .empty)
        #expect(
            c.joinGroup(groupId: "g", consumer("a-m1", client: "a", version: 4), id: 4, now: at(10)).first
                == .completeJoin(4, joined("a-m1", generation: 1, leader: "a-m1", members: ["a-m1"])))
    }

    @Test func anOffsetCommitWithNegativeGenerationCreatesAnEmptyGroup() {
        var c = Self.coordinator()
        #expect(c.validateOffsetCommit(groupId: "manual", memberId: "", generationId: -1, now: at(0)) == .noError)
        #expect(c.listGroups() == [GroupListing(groupId: "manual", protocolType: "", state: .empty)])
        #expect(c.validateOffsetCommit(groupId: "other", memberId: "x", generationId: 4, now: at(0)) == .illegalGeneration)
        #expect(c.groups["other"] == nil)
    }

    @Test func listGroupsFiltersByStateAndType() {
        var c = Self.coordinator()
        Self.stableGroup("g1", client: "a", memberId: "a-m1", in: &c)
        _ = c.validateOffsetCommit(groupId: "g2", memberId: "", generationId: -1, now: at(0))
        let g1 = GroupListing(groupId: "g1", protocolType: "consumer", state: .stable)
        let g2 = GroupListing(groupId: "g2", protocolType: "", state: .empty)
        #expect(c.listGroups() == [g1, g2])
        #expect(c.listGroups(statesFilter: ["stable"]) == [g1])
        #expect(c.listGroups(statesFilter: ["Empty", "STABLE"]) == [g1, g2])
        #expect(c.listGroups(typesFilter: ["consumer"]) == [])
        #expect(c.listGroups(typesFilter: ["Classic"]) == [g1, g2])
    }

    @Test func deleteGroupRemovesOnlyEmptyGroups() {
        var c = Self.coordinator()
        Self.stableGroup("g1", client: "a", memberId: "a-m1", in: &c)
        _ = c.validateOffsetCommit(groupId: "g2", memberId: "", generationId: -1, now: at(0))
        #expect(c.deleteGroup("g1") == .nonEmptyGroup)
        #expect(c.deleteGroup("g2") == .noError)
        #expect(c.groups["g2"] == nil)
        #expect(c.describeGroup("g2") == .dead(groupId: "g2"))
        // The id is free again: a new group starts from generation 1.
        #expect(
            c.joinGroup(groupId: "g2", consumer(client: "b"), id: 1, now: at(0)).first
                == .completeJoin(
                    1, joined("b-m2", generation: 1, leader: "b-m2", members: ["b-m2"])))
    }

    @Test func loadGroupRestoresAGroupFromItsLastRecord() throws {
        var source = Self.coordinator()
        Self.stableGroup("g", client: "a", memberId: "a-m1", in: &source)
        let snapshot = try #require(source.groups["g"]).snapshot()

        var c = GroupCoordinatorStateMachine(memberIdGenerator: MemberIdGenerator(prefix: "restart-"))
        #expect(
            c.loadGroup(snapshot, now: at(0)) == [
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(10_000))
            ])
        #expect(
            c.heartbeat(groupId: "g", memberId: "a-m1", generationId: 1, id: 1, now: at(100)) == [
                .completeHeartbeat(1, .noError)
            ])
        #expect(c.describeGroup("g") == source.describeGroup("g"))
        #expect(
            c.joinGroup(groupId: "g", consumer(client: "b"), id: 2, now: at(200)).contains(
                .scheduleSessionTimeout(groupId: "g", memberId: "b-restart-1", deadline: at(300_200))))
    }
}
