import KafkaBroker
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Offset commit validation", .tags(.pure))
struct GroupOffsetCommitTests {
    @Test func generationMinusOneIsAcceptedOnlyWhileTheGroupHasNoMembers() {
        var empty = GroupHarness()
        #expect(empty.commit("", generation: -1, at: 0) == .noError)
        #expect(empty.commit("x", generation: 3, at: 0) == .unknownMemberId)

        var stable = GroupHarness.stable(consumer(client: "a"))
        #expect(stable.commit("", generation: -1, at: 0) == .unknownMemberId)
    }

    @Test func membersCommitWithTheCurrentGeneration() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(h.commit("a-m1", generation: 1, at: 100) == .noError)
        #expect(h.commit("a-m1", generation: 0, at: 100) == .illegalGeneration)
        #expect(h.commit("nobody", generation: 1, at: 100) == .unknownMemberId)
    }

    @Test func commitsDuringARebalanceFollowKafkasRules() {
        var h = GroupHarness.stable(consumer(client: "a"))
        _ = h.join(consumer(client: "b"), id: 1, at: 0)
        // During the join phase the current generation may still commit what it consumed.
        #expect(h.commit("a-m1", generation: 1, at: 100) == .noError)
        _ = h.join(consumer("a-m1", client: "a"), id: 2, at: 200)
        // Waiting for the assignment: the member must finish the rebalance first.
        #expect(h.commit("a-m1", generation: 2, at: 300) == .rebalanceInProgress)
        #expect(h.commit("a-m1", generation: 1, at: 300) == .illegalGeneration)
    }

    @Test func aCommitKeepsTheSessionAlive() {
        var h = GroupHarness.stable(consumer(client: "a"))
        #expect(h.commit("a-m1", generation: 1, at: 9_000) == .noError)
        #expect(
            h.sessionExpired("a-m1", at: 10_000) == [
                .scheduleSessionTimeout(groupId: "g", memberId: "a-m1", deadline: at(19_000))
            ])
        #expect(h.group.memberIds == ["a-m1"])
    }

    @Test func aDeletedGroupTakesNoCommits() {
        var h = GroupHarness()
        #expect(h.group.deleteGroup() == .noError)
        #expect(h.commit("", generation: -1, at: 0) == .coordinatorNotAvailable)
    }
}
