import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Static membership (KIP-345)", .tags(.pure))
struct GroupStaticMembershipTests {
    /// Static member "ia-m1" (instance "ia") leads dynamic member "b-m2" in a Stable generation 2.
    static func stableGroup() -> GroupHarness {
        .stable(consumer(client: "a", instance: "ia", version: 5), consumer(client: "b", version: 5))
    }

    @Test func restartedStaticMemberGetsANewIdAndKeepsItsAssignmentWithoutRebalance() {
        var h = Self.stableGroup()
        let actions = h.join(consumer(client: "a", instance: "ia", version: 5), id: 1, at: 1_000)
        // Told the old leader id, which is not its own, so it does not run the assignor.
        #expect(
            actions == [
                .persistGroup(h.group.snapshot()),
                .completeJoin(
                    1,
                    JoinGroupResult(
                        generationId: 2, protocolType: "consumer", protocolName: "range", leaderId: "ia-m1",
                        memberId: "ia-m3")),
                .cancelSessionTimeout(groupId: "g", memberId: "ia-m1"),
                .scheduleSessionTimeout(groupId: "g", memberId: "ia-m3", deadline: at(11_000)),
            ])
        #expect(h.group.state == .stable)
        #expect(h.group.generationId == 2)
        #expect(h.group.leaderId == "ia-m3")
        #expect(h.group.memberIds == ["ia-m3", "b-m2"])
        #expect(
            h.sync("ia-m3", generation: 2, instance: "ia", id: 2, at: 1_100) == [
                .completeSync(2, assigned(partitions("a")))
            ])
        #expect(h.heartbeat("b-m2", generation: 2, id: 3, at: 1_200) == [.completeHeartbeat(3, .noError)])
    }

    @Test func theStaleIncarnationOfAStaticMemberIsFenced() {
        var h = Self.stableGroup()
        _ = h.join(consumer(client: "a", instance: "ia", version: 5), id: 1, at: 1_000)
        #expect(
            h.heartbeat("ia-m1", generation: 2, instance: "ia", id: 2, at: 1_100) == [
                .completeHeartbeat(2, .fencedInstanceId)
            ])
        #expect(
            h.sync("ia-m1", generation: 2, instance: "ia", id: 3, at: 1_100) == [
                .completeSync(3, .failure(.fencedInstanceId))
            ])
        #expect(
            h.join(consumer("ia-m1", client: "a", instance: "ia", version: 5), id: 4, at: 1_100) == [
                .completeJoin(4, .failure(.fencedInstanceId, memberId: "ia-m1"))
            ])
        #expect(h.commit("ia-m1", generation: 2, instance: "ia", at: 1_100) == .fencedInstanceId)
        #expect(
            h.leave([GroupMemberIdentity(memberId: "ia-m1", groupInstanceId: "ia")], id: 5, at: 1_100) == [
                .completeLeave(
                    5,
                    LeaveGroupResult(members: [
                        LeaveGroupMemberResult(memberId: "ia-m1", groupInstanceId: "ia", error: .fencedInstanceId)
                    ]))
            ])
        #expect(h.group.memberIds == ["ia-m3", "b-m2"])
    }

    @Test func restartedStaticLeaderOnJoinGroupV9IsToldToSkipTheAssignment() {
        var h = Self.stableGroup()
        let actions = h.join(consumer(client: "a", instance: "ia", version: 9), id: 1, at: 1_000)
        let leaderResult = JoinGroupResult(
            generationId: 2, protocolType: "consumer", protocolName: "range", leaderId: "ia-m3", skipAssignment: true,
            memberId: "ia-m3",
            members: [
                JoinGroupResultMember(memberId: "ia-m3", groupInstanceId: "ia", metadata: subscription),
                JoinGroupResultMember(memberId: "b-m2", metadata: subscription),
            ])
        #expect(actions.contains(.completeJoin(1, leaderResult)))
        #expect(h.group.state == .stable)
    }

    @Test func aStaticMemberRestartingDuringARebalanceFencesItsParkedJoin() {
        var h = Self.stableGroup()
        _ = h.join(consumer("ia-m1", client: "a", instance: "ia", version: 5), id: 1, at: 1_000)
        #expect(h.group.state == .preparingRebalance)
        let actions = h.join(consumer(client: "a", instance: "ia", version: 5), id: 2, at: 2_000)
        #expect(actions.first == .completeJoin(1, .failure(.fencedInstanceId, memberId: "ia-m1")))
        _ = h.join(consumer("b-m2", client: "b", version: 5), id: 3, at: 3_000)
        #expect(h.group.generationId == 3)
        #expect(h.group.leaderId == "ia-m3")
    }

    @Test func anAbsentStaticMemberKeepsItsPlaceThroughARebalance() {
        var h = Self.stableGroup()
        _ = h.join(consumer(client: "c"), id: 1, at: 1_000)
        _ = h.join(consumer("b-m2", client: "b", version: 5), id: 2, at: 2_000)
        #expect(
            h.heartbeat("ia-m1", generation: 2, instance: "ia", id: 3, at: 29_000) == [
                .completeHeartbeat(3, .rebalanceInProgress)
            ])
        let actions = h.rebalanceExpired(at: 31_000)
        // The leader did not rejoin, so the first member that did leads.
        #expect(
            actions.contains(
                .completeJoin(
                    2, joined("b-m2", generation: 3, leader: "b-m2", members: ["ia-m1", "b-m2", "c-m3"]).withStaticMember())))
        #expect(h.group.memberIds == ["ia-m1", "b-m2", "c-m3"])
        #expect(h.group.leaderId == "b-m2")
    }

    @Test func adminRemovesAStaticMemberByInstanceId() {
        var h = Self.stableGroup()
        let actions = h.leave([GroupMemberIdentity(memberId: "", groupInstanceId: "ia")], id: 1, at: 1_000)
        #expect(
            actions.contains(
                .completeLeave(
                    1,
                    LeaveGroupResult(members: [
                        LeaveGroupMemberResult(memberId: "", groupInstanceId: "ia")
                    ]))))
        #expect(h.group.memberIds == ["b-m2"])
        #expect(h.group.leaderId == "b-m2")
    }
}

extension JoinGroupResult {
    /// Marks member "ia-m1" of `stableGroup()` as the static member it is.
    fileprivate func withStaticMember() -> JoinGroupResult {
        var result = self
        result.members = members.map {
            $0.memberId == "ia-m1" ? JoinGroupResultMember(memberId: "ia-m1", groupInstanceId: "ia", metadata: $0.metadata) : $0
        }
        return result
    }
}
