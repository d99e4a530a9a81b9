import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Group membership: join, sync, heartbeat, leave", .tags(.pure))
struct GroupMembershipTests {
    @Test func loneMemberJoinV3LeadsItselfThenSyncsAndHeartbeats() {
        var h = GroupHarness()
        #expect(
            h.join(consumer(client: "a"), id: 1, at: 0) == [
                .completeJoin(1, joined("a-m1", generation: 1, leader: "a-m1", members: ["a-m1"])),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(30_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(10_000)),
            ])
        #expect(h.group.state == .completingRebalance)

        let actions = h.sync("a-m1", generation: 1, assignments: ["a-m1": partitions("a")], id: 2, at: 100)
        #expect(
            actions == [
                .persistGroup(h.group.snapshot()),
                .completeSync(2, assigned(partitions("a"))),
                .cancelRebalanceTimeout(groupId: "g"),
            ])
        #expect(h.group.state == .stable)
        #expect(h.heartbeat("a-m1", generation: 1, id: 3, at: 3_000) == [.completeHeartbeat(3, .noError)])
    }

    @Test func joinV4GetsMemberIdRequiredThenJoinsWithThatId() {
        var h = GroupHarness()
        #expect(
            h.join(consumer(client: "a", version: 4), id: 1, at: 0) == [
                .completeJoin(1, .failure(.memberIdRequired, memberId: "a-m1")),
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(10_000)),
            ])
        #expect(h.group.state == .empty)
        #expect(
            h.join(consumer("a-m1", client: "a", version: 4), id: 2, at: 50) == [
                .completeJoin(2, joined("a-m1", generation: 1, leader: "a-m1", members: ["a-m1"])),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(30_050)),
            ])
        // The pending member's timer is still the one the runtime holds: when it fires, the member's
        // session has moved on and the timer is merely rescheduled.
        #expect(
            h.sessionExpired("a-m1", at: 10_000) == [
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(10_050))
            ])
    }

    @Test func secondMemberTriggersRebalanceAndBothParkedJoinsCompleteTogether() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(
            h.join(consumer(client: "b"), id: 1, at: 1_000) == [
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(31_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "b-m2", deadline: at(301_000)),
            ])
        #expect(h.group.state == .preparingRebalance)
        #expect(h.heartbeat("a-m1", generation: 1, id: 2, at: 2_000) == [.completeHeartbeat(2, .rebalanceInProgress)])
        #expect(
            h.join(consumer("a-m1", client: "a"), id: 3, at: 3_000) == [
                .completeJoin(3, joined("a-m1", generation: 2, leader: "a-m1", members: ["a-m1", "b-m2"])),
                .completeJoin(1, joined("b-m2", generation: 2, leader: "a-m1")),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(33_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "b-m2", deadline: at(13_000)),
            ])
        #expect(h.group.state == .completingRebalance)
    }

    @Test func followerSyncWaitsForTheLeadersAssignment() {
        var h = GroupHarness.stable(consumer(client: "a"))
        _ = h.join(consumer(client: "b"), id: 1, at: 0)
        _ = h.join(consumer("a-m1", client: "a"), id: 2, at: 0)
        #expect(h.sync("b-m2", generation: 2, id: 3, at: 100) == [])
        #expect(h.heartbeat("a-m1", generation: 2, id: 4, at: 150) == [.completeHeartbeat(4, .noError)])

        let assignments = ["a-m1": partitions("a"), "b-m2": partitions("b")]
        let actions = h.sync("a-m1", generation: 2, assignments: assignments, id: 5, at: 200)
        #expect(
            actions == [
                .persistGroup(h.group.snapshot()),
                .completeSync(5, assigned(partitions("a"))),
                .completeSync(3, assigned(partitions("b"))),
                .cancelRebalanceTimeout(groupId: "g"),
            ])
        #expect(h.group.state == .stable)
        // A member that lost its answer asks again and gets the same assignment.
        #expect(h.sync("b-m2", generation: 2, id: 6, at: 300) == [.completeSync(6, assigned(partitions("b")))])
    }

    @Test func leaveTriggersRebalanceAndTheRemainingMemberFormsTheNextGeneration() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        #expect(
            h.leave([GroupMemberIdentity(memberId: "b-m2")], id: 1, at: 1_000) == [
                .completeLeave(1, LeaveGroupResult(members: [LeaveGroupMemberResult(memberId: "b-m2")])),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(31_000)),
                .cancelSessionTimeout(groupId: "g", memberId: "b-m2"),
            ])
        #expect(h.heartbeat("a-m1", generation: 2, id: 2, at: 1_500) == [.completeHeartbeat(2, .rebalanceInProgress)])
        #expect(
            h.join(consumer("a-m1", client: "a"), id: 3, at: 2_000) == [
                .completeJoin(3, joined("a-m1", generation: 3, leader: "a-m1", members: ["a-m1"])),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(32_000)),
            ])
    }

    @Test func leaveOfTheLastMemberEmptiesTheGroup() {
        var h = GroupHarness.stable(consumer(client: "a"))
        let actions = h.leave([GroupMemberIdentity(memberId: "a-m1")], id: 1, at: 1_000)
        #expect(
            actions == [
                .persistGroup(h.group.snapshot()),
                .completeLeave(1, LeaveGroupResult(members: [LeaveGroupMemberResult(memberId: "a-m1")])),
                .cancelSessionTimeout(groupId: "g", memberId: "a-m1"),
            ])
        #expect(h.group.state == .empty)
        #expect(h.group.generationId == 2)
    }

    @Test func batchedLeaveAnswersEachMember() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b", instance: "ib", version: 5))
        let actions = h.leave(
            [
                GroupMemberIdentity(memberId: "", groupInstanceId: "ib"),
                GroupMemberIdentity(memberId: "nobody"),
                GroupMemberIdentity(memberId: "", groupInstanceId: "unknown-instance"),
            ], id: 1, at: 1_000)
        #expect(
            actions.contains(
                .completeLeave(
                    1,
                    LeaveGroupResult(members: [
                        LeaveGroupMemberResult(memberId: "", groupInstanceId: "ib"),
                        LeaveGroupMemberResult(memberId: "nobody", error: .unknownMemberId),
                        LeaveGroupMemberResult(memberId: "", groupInstanceId: "unknown-instance", error: .unknownMemberId),
                    ]))))
        #expect(h.group.memberIds == ["a-m1"])
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func sessionTimeoutRemovesTheSilentMember() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        #expect(h.heartbeat("a-m1", generation: 2, id: 1, at: 5_000) == [.completeHeartbeat(1, .noError)])
        // a's timer fires at its old deadline and is moved to the new one; b has been silent.
        #expect(
            h.sessionExpired("a-m1", at: 10_000) == [
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(15_000))
            ])
        #expect(
            h.sessionExpired("b-m2", at: 10_000) == [
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(40_000))
            ])
        #expect(h.group.memberIds == ["a-m1"])
        #expect(h.heartbeat("b-m2", generation: 2, id: 2, at: 10_500) == [.completeHeartbeat(2, .unknownMemberId)])
        #expect(h.heartbeat("a-m1", generation: 2, id: 3, at: 11_000) == [.completeHeartbeat(3, .rebalanceInProgress)])
    }

    @Test func pendingMemberThatNeverRejoinsExpiresAndStopsBlockingTheRebalance() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(
            h.join(consumer(client: "c", version: 4), id: 1, at: 1_000) == [
                .completeJoin(1, .failure(.memberIdRequired, memberId: "c-m2")),
                .scheduleSessionTimeout(groupId: "g", memberId: "c-m2", deadline: at(11_000)),
            ])
        // The leader rejoins (rebalance), but the phase also waits for the pending id.
        #expect(
            h.join(consumer("a-m1", client: "a"), id: 2, at: 2_000) == [
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(32_000))
            ])
        #expect(
            h.sessionExpired("c-m2", at: 11_000) == [
                .completeJoin(2, joined("a-m1", generation: 2, leader: "a-m1", members: ["a-m1"])),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(41_000)),
            ])
        #expect(
            h.join(consumer("c-m2", client: "c", version: 4), id: 3, at: 12_000) == [
                .completeJoin(3, .failure(.unknownMemberId, memberId: "c-m2"))
            ])
    }

    @Test func rebalanceTimeoutDropsMembersThatDidNotRejoin() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        _ = h.join(consumer(client: "c"), id: 1, at: 1_000)
        _ = h.join(consumer("a-m1", client: "a"), id: 2, at: 2_000)
        // b keeps its session alive but never rejoins.
        #expect(h.heartbeat("b-m2", generation: 2, id: 3, at: 29_000) == [.completeHeartbeat(3, .rebalanceInProgress)])
        // A timer that fires early only re-arms itself.
        #expect(h.rebalanceExpired(at: 30_999) == [.scheduleRebalanceTimeout(groupId: "g", deadline: at(31_000))])
        #expect(
            h.rebalanceExpired(at: 31_000) == [
                .completeJoin(2, joined("a-m1", generation: 3, leader: "a-m1", members: ["a-m1", "c-m3"])),
                .completeJoin(1, joined("c-m3", generation: 3, leader: "a-m1")),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(61_000)),
                .cancelSessionTimeout(groupId: "g", memberId: "b-m2"),
                .scheduleSessionTimeout(groupId: "g", memberId: "c-m3", deadline: at(41_000)),
            ])
        #expect(h.group.memberIds == ["a-m1", "c-m3"])
        // A stale firing of the join timer only re-arms the current (sync) timer.
        #expect(h.rebalanceExpired(at: 31_000) == [.scheduleRebalanceTimeout(groupId: "g", deadline: at(61_000))])
    }

    @Test func membersThatNeverSyncAreDroppedAfterTheRebalanceTimeout() {
        var h = GroupHarness.stable(consumer(client: "a"))
        _ = h.join(consumer(client: "b"), id: 1, at: 0)
        _ = h.join(consumer("a-m1", client: "a"), id: 2, at: 0)
        _ = h.sync("a-m1", generation: 2, assignments: ["a-m1": partitions("a")], id: 3, at: 100)
        #expect(h.group.state == .stable)
        // b heartbeats, so its session holds, but it never sends SyncGroup.
        #expect(h.heartbeat("b-m2", generation: 2, id: 4, at: 25_000) == [.completeHeartbeat(4, .noError)])
        #expect(
            h.rebalanceExpired(at: 30_000) == [
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(60_000)),
                .cancelSessionTimeout(groupId: "g", memberId: "b-m2"),
            ])
        #expect(h.group.memberIds == ["a-m1"])
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func newMemberJoiningDuringCompletingRebalanceRestartsItAndFailsParkedSyncs() {
        var h = GroupHarness.stable(consumer(client: "a"))
        _ = h.join(consumer(client: "b"), id: 1, at: 0)
        _ = h.join(consumer("a-m1", client: "a"), id: 2, at: 0)
        #expect(h.sync("b-m2", generation: 2, id: 3, at: 100) == [])
        #expect(
            h.join(consumer(client: "c"), id: 4, at: 200) == [
                .completeSync(3, .failure(.rebalanceInProgress)),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(30_200)),
                .scheduleSessionTimeout(groupId: "g", memberId: "c-m3", deadline: at(300_200)),
            ])
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func invalidSessionTimeoutAndFullGroupAreRefused() {
        var h = GroupHarness(configuration: GroupCoordinatorConfiguration(groupMaxSize: 1))
        #expect(
            h.join(consumer(client: "a", session: 1_000), id: 1, at: 0) == [
                .completeJoin(1, .failure(.invalidSessionTimeout, memberId: ""))
            ])
        _ = h.join(consumer(client: "a"), id: 2, at: 0)
        #expect(
            h.join(consumer(client: "b"), id: 3, at: 0) == [
                .completeJoin(3, .failure(.groupMaxSizeReached, memberId: ""))
            ])
        #expect(h.group.memberIds == ["a-m1"])
    }

    @Test func initialRebalanceDelayWaitsForMoreMembers() {
        var h = GroupHarness(configuration: GroupCoordinatorConfiguration(groupInitialRebalanceDelayMs: 3_000))
        #expect(
            h.join(consumer(client: "a"), id: 1, at: 0) == [
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(3_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(300_000)),
            ])
        #expect(
            h.join(consumer(client: "b"), id: 2, at: 1_000) == [
                .scheduleSessionTimeout(groupId: "g", memberId: "b-m2", deadline: at(301_000))
            ])
        // A member arrived during the delay, so the delay starts over.
        #expect(h.rebalanceExpired(at: 3_000) == [.scheduleRebalanceTimeout(groupId: "g", deadline: at(6_000))])
        #expect(
            h.rebalanceExpired(at: 6_000) == [
                .completeJoin(1, joined("a-m1", generation: 1, leader: "a-m1", members: ["a-m1", "b-m2"])),
                .completeJoin(2, joined("b-m2", generation: 1, leader: "a-m1")),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(36_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(16_000)),
                .scheduleSessionTimeout(groupId: "g", memberId: "b-m2", deadline: at(16_000)),
            ])
    }
}
