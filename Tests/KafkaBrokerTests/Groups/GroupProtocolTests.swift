import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Group protocols and request validation", .tags(.pure))
struct GroupProtocolTests {
    @Test func theCommonProtocolMostMembersPreferIsChosen() {
        var h = GroupHarness()
        // Alone, a gets its own first choice.
        #expect(
            h.join(consumer(client: "a", protocols: ["roundrobin", "range", "sticky"]), id: 1, at: 0).first
                == .completeJoin(
                    1, joined("a-m1", generation: 1, leader: "a-m1", protocolName: "roundrobin", members: ["a-m1"])))
        _ = h.join(consumer(client: "b", protocols: ["range", "roundrobin"]), id: 2, at: 0)
        _ = h.join(consumer(client: "c", protocols: ["range", "roundrobin"]), id: 3, at: 0)
        // sticky is not common; range gets two votes against one.
        let actions = h.join(consumer("a-m1", client: "a", protocols: ["roundrobin", "range", "sticky"]), id: 4, at: 0)
        #expect(
            actions.first
                == .completeJoin(
                    4, joined("a-m1", generation: 2, leader: "a-m1", protocolName: "range", members: ["a-m1", "b-m2", "c-m3"])))
        #expect(h.group.protocolName == "range")
    }

    @Test func aTieGoesToTheFirstMembersPreference() {
        var h = GroupHarness()
        _ = h.join(consumer(client: "a", protocols: ["roundrobin", "range"]), id: 1, at: 0)
        _ = h.join(consumer(client: "b", protocols: ["range", "roundrobin"]), id: 2, at: 0)
        _ = h.join(consumer("a-m1", client: "a", protocols: ["roundrobin", "range"]), id: 3, at: 0)
        #expect(h.group.generationId == 2)
        #expect(h.group.protocolName == "roundrobin")
    }

    @Test func joinsWithoutACommonProtocolAreInconsistent() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(
            h.join(consumer(client: "d", protocols: ["sticky"]), id: 1, at: 0) == [
                .completeJoin(1, .failure(.inconsistentGroupProtocol, memberId: ""))
            ])
        var connect = consumer(client: "d")
        connect.protocolType = "connect"
        #expect(h.join(connect, id: 2, at: 0) == [.completeJoin(2, .failure(.inconsistentGroupProtocol, memberId: ""))])
        #expect(
            h.join(consumer("a-m1", client: "a", protocols: []), id: 3, at: 0) == [
                .completeJoin(3, .failure(.inconsistentGroupProtocol, memberId: "a-m1"))
            ])
        #expect(h.group.state == .stable)

        var empty = GroupHarness()
        #expect(
            empty.join(consumer(client: "a", protocols: []), id: 4, at: 0) == [
                .completeJoin(4, .failure(.inconsistentGroupProtocol, memberId: ""))
            ])
    }

    @Test func wrongGenerationIsIllegal() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(h.heartbeat("a-m1", generation: 0, id: 1, at: 100) == [.completeHeartbeat(1, .illegalGeneration)])
        #expect(h.sync("a-m1", generation: 5, id: 2, at: 100) == [.completeSync(2, .failure(.illegalGeneration))])
    }

    @Test func syncWithAnotherProtocolIsInconsistent() {
        var h = GroupHarness.stable(consumer(client: "a"))
        let request = GroupSyncRequest(memberId: "a-m1", generationId: 1, protocolType: "consumer", protocolName: "sticky")
        #expect(
            h.group.syncGroup(request, id: 1, now: at(100)) == [
                .completeSync(1, .failure(.inconsistentGroupProtocol))
            ])
    }

    @Test func unknownMembersAreRejected() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(h.heartbeat("nobody", generation: 1, id: 1, at: 100) == [.completeHeartbeat(1, .unknownMemberId)])
        #expect(h.sync("nobody", generation: 1, id: 2, at: 100) == [.completeSync(2, .failure(.unknownMemberId))])
        #expect(
            h.join(consumer("nobody", client: "x"), id: 3, at: 100) == [
                .completeJoin(3, .failure(.unknownMemberId, memberId: "nobody"))
            ])
        #expect(
            h.leave([GroupMemberIdentity(memberId: "nobody")], id: 4, at: 100) == [
                .completeLeave(4, LeaveGroupResult(members: [LeaveGroupMemberResult(memberId: "nobody", error: .unknownMemberId)]))
            ])
    }

    @Test func syncDuringAJoinPhaseMustRejoin() {
        var h = GroupHarness.stable(consumer(client: "a"))
        _ = h.join(consumer(client: "b"), id: 1, at: 0)
        #expect(h.sync("a-m1", generation: 1, id: 2, at: 100) == [.completeSync(2, .failure(.rebalanceInProgress))])
    }

    @Test func aFollowerRejoiningUnchangedInAStableGroupGetsTheCurrentGeneration() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        #expect(
            h.join(consumer("b-m2", client: "b"), id: 1, at: 100) == [
                .completeJoin(1, joined("b-m2", generation: 2, leader: "a-m1"))
            ])
        #expect(h.group.state == .stable)
        // A follower with new metadata forces a rebalance.
        _ = h.join(consumer("b-m2", client: "b", protocols: ["range", "roundrobin"]), id: 2, at: 200)
        #expect(h.group.state == .preparingRebalance)
    }

    @Test func aParkedJoinRepeatedByTheSameMemberAnswersTheOlderOne() {
        var h = GroupHarness.stable(consumer(client: "a"), consumer(client: "b"))
        _ = h.join(consumer("a-m1", client: "a"), id: 1, at: 100)
        #expect(
            h.join(consumer("a-m1", client: "a"), id: 2, at: 200) == [
                .completeJoin(1, .failure(.rebalanceInProgress, memberId: "a-m1"))
            ])
        #expect(
            h.join(consumer("b-m2", client: "b"), id: 3, at: 300) == [
                .completeJoin(2, joined("a-m1", generation: 3, leader: "a-m1", members: ["a-m1", "b-m2"])),
                .completeJoin(3, joined("b-m2", generation: 3, leader: "a-m1")),
                .scheduleRebalanceTimeout(groupId: "g", deadline: at(30_300)),
            ])
    }
}
