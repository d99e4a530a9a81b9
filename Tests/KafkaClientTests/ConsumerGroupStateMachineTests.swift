import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct ConsumerGroupStateMachineTests {
    let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let t0 = TopicPartition(topic: "orders", partition: 0)
    let t1 = TopicPartition(topic: "orders", partition: 1)

    func machine(groupInstanceId: String? = nil) -> ConsumerGroupStateMachine {
        ConsumerGroupStateMachine(
            settings: .init(
                groupId: "my-group", groupInstanceId: groupInstanceId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000,
                heartbeatInterval: .seconds(3),
                retryBackoff: .milliseconds(100), assignors: [.range, .roundRobin]))
    }

    func subscription(_ topics: [String]) -> ByteBuffer {
        ConsumerProtocolSubscription(topics: topics).encoded()
    }

    /// Drives a machine subscribed to "orders" through the coordinator lookup to its first JoinGroup.
    func joining(groupInstanceId: String? = nil) -> (ConsumerGroupStateMachine, JoinGroupRequest) {
        var machine = machine(groupInstanceId: groupInstanceId)
        machine.subscribed(to: ["orders"], now: now)
        #expect(machine.poll(now: now).isFindCoordinator)
        guard case .joinGroup(let request) = machine.coordinatorFound(now: now) else {
            Issue.record("expected JoinGroup")
            return (machine, JoinGroupRequest())
        }
        return (machine, request)
    }

    /// A member that joined as follower and received `partitions`.
    func stableFollower(_ partitions: [TopicPartition], groupInstanceId: String? = nil) -> ConsumerGroupStateMachine {
        var (machine, _) = joining(groupInstanceId: groupInstanceId)
        _ = machine.joinGroupResponded(
            JoinGroupResponse(generationId: 1, protocolName: "range", leader: "leader", memberId: "me"), now: now)
        _ = machine.syncGroupResponded(
            SyncGroupResponse(assignment: ConsumerProtocolAssignment(partitions: partitions).encoded()), now: now)
        return machine
    }

    @Test func joinOffersEveryAssignorWithTheSubscription() throws {
        let (_, request) = joining()
        #expect(request.groupId == "my-group")
        #expect(request.memberId == "")
        #expect(request.protocolType == "consumer")
        #expect(request.protocols.map(\.name) == ["range", "roundrobin"])
        #expect(try ConsumerProtocolSubscription(decoding: request.protocols[0].metadata).topics == ["orders"])
        #expect(request.sessionTimeoutMs == 10_000)
        #expect(request.rebalanceTimeoutMs == 30_000)
    }

    @Test func memberIdRequiredJoinsAgainWithTheGivenId() {
        var (machine, _) = joining()
        let action = machine.joinGroupResponded(JoinGroupResponse(errorCode: 79, memberId: "member-1"), now: now)
        guard case .joinGroup(let request) = action else {
            Issue.record("expected a second JoinGroup, got \(action)")
            return
        }
        #expect(request.memberId == "member-1")
    }

    @Test func theLeaderAssignsWithTheChosenAssignor() throws {
        var (machine, _) = joining()
        let response = JoinGroupResponse(
            generationId: 5, protocolName: "roundrobin", leader: "a", memberId: "a",
            members: [.init(memberId: "a", metadata: subscription(["orders"])), .init(memberId: "b", metadata: subscription(["orders"]))])
        guard case .fetchPartitionCounts(let topics) = machine.joinGroupResponded(response, now: now) else {
            Issue.record("the leader needs partition counts")
            return
        }
        #expect(topics == ["orders"])
        guard case .syncGroup(let sync) = machine.partitionCountsReceived(["orders": 4], now: now) else {
            Issue.record("expected SyncGroup")
            return
        }
        #expect(sync.generationId == 5)
        #expect(sync.protocolName == "roundrobin")
        let assignments = try Dictionary(
            uniqueKeysWithValues: sync.assignments.map { ($0.memberId, try ConsumerProtocolAssignment(decoding: $0.assignment).partitions) }
        )
        #expect(assignments["a"]?.map(\.partition) == [0, 2])
        #expect(assignments["b"]?.map(\.partition) == [1, 3])
    }

    @Test func aFollowerSyncsWithoutAssignmentsAndReceivesItsPartitions() {
        var (machine, _) = joining()
        let action = machine.joinGroupResponded(
            JoinGroupResponse(generationId: 2, protocolName: "range", leader: "other", memberId: "me"), now: now)
        guard case .syncGroup(let sync) = action else {
            Issue.record("expected SyncGroup")
            return
        }
        #expect(sync.assignments.isEmpty)
        #expect(sync.memberId == "me")
        let assigned = machine.syncGroupResponded(
            SyncGroupResponse(assignment: ConsumerProtocolAssignment(partitions: [t1, t0]).encoded()), now: now)
        guard case .assign(let partitions) = assigned else {
            Issue.record("expected an assignment")
            return
        }
        #expect(partitions == [t0, t1])
        #expect(machine.generation == .init(generationId: 2, memberId: "me", protocolName: "range"))
        #expect(machine.poll(now: now).isNone)
    }

    @Test func heartbeatsFollowTheInterval() {
        var machine = stableFollower([t0])
        guard case .wait(let until) = machine.heartbeatTimerFired(now: now) else {
            Issue.record("not due yet")
            return
        }
        #expect(until == now + .seconds(3))
        guard case .heartbeat(let request) = machine.heartbeatTimerFired(now: now + .seconds(3)) else {
            Issue.record("expected a heartbeat")
            return
        }
        #expect(request.generationId == 1)
        #expect(request.memberId == "me")
        machine.heartbeatResponded(.noError, now: now + .seconds(3))
        guard case .wait(let next) = machine.heartbeatTimerFired(now: now + .seconds(4)) else {
            Issue.record("expected a wait")
            return
        }
        #expect(next == now + .seconds(6))
    }

    @Test func aRebalanceCommitsAndRevokesThenRejoins() {
        var machine = stableFollower([t0, t1])
        _ = machine.heartbeatTimerFired(now: now + .seconds(3))
        machine.heartbeatResponded(.rebalanceInProgress, now: now + .seconds(3))
        #expect(machine.generation == nil)
        guard case .revoke(let partitions, let commit) = machine.poll(now: now + .seconds(3)) else {
            Issue.record("expected revocation")
            return
        }
        #expect(partitions == [t0, t1])
        #expect(commit)
        guard case .joinGroup(let request) = machine.revoked(now: now + .seconds(3)) else {
            Issue.record("expected JoinGroup")
            return
        }
        #expect(request.memberId == "me")
        #expect(machine.assignment.isEmpty)
    }

    /// The generation stays usable for commits until the partitions are revoked, so that a
    /// rebalance listener can commit what was processed (the coordinator accepts it while the
    /// group prepares the rebalance).
    @Test func theRevokedPartitionsAreCommittedWithTheGenerationTheyWereAssignedIn() {
        var machine = stableFollower([t0, t1])
        let assignedIn = machine.generation
        _ = machine.heartbeatTimerFired(now: now + .seconds(3))
        machine.heartbeatResponded(.rebalanceInProgress, now: now + .seconds(3))
        #expect(machine.committingGeneration == assignedIn)
        guard case .revoke(_, commit: true) = machine.poll(now: now + .seconds(3)) else {
            Issue.record("expected revocation with a commit")
            return
        }
        #expect(machine.committingGeneration == assignedIn)
        _ = machine.revoked(now: now + .seconds(3))
        #expect(machine.committingGeneration == nil)
    }

    @Test func aLostMemberHasNoGenerationToCommitWith() {
        var machine = stableFollower([t0])
        _ = machine.heartbeatTimerFired(now: now + .seconds(3))
        machine.heartbeatResponded(.illegalGeneration, now: now + .seconds(3))
        #expect(machine.committingGeneration == nil)
        guard case .revoke(_, commit: false) = machine.poll(now: now + .seconds(3)) else {
            Issue.record("expected the partitions to be lost")
            return
        }
    }

    /// Static membership (KIP-345): the instance id goes with every group request, and the member
    /// does not leave on close, so that a restart within the session keeps its partitions.
    @Test func aStaticMemberNamesItsInstanceAndDoesNotLeave() {
        let (_, join) = joining(groupInstanceId: "worker-1")
        #expect(join.groupInstanceId == "worker-1")
        var machine = stableFollower([t0], groupInstanceId: "worker-1")
        guard case .heartbeat(let heartbeat) = machine.heartbeatTimerFired(now: now + .seconds(3)) else {
            Issue.record("expected a heartbeat")
            return
        }
        #expect(heartbeat.groupInstanceId == "worker-1")
        #expect(machine.leave(closing: true).isNone)
    }

    @Test func anUnknownMemberRejoinsWithoutIdAndWithoutCommitting() {
        var machine = stableFollower([t0])
        _ = machine.heartbeatTimerFired(now: now + .seconds(3))
        machine.heartbeatResponded(.unknownMemberId, now: now + .seconds(3))
        guard case .revoke(_, let commit) = machine.poll(now: now + .seconds(3)) else {
            Issue.record("expected revocation")
            return
        }
        #expect(!commit)
        guard case .joinGroup(let request) = machine.revoked(now: now + .seconds(3)) else {
            Issue.record("expected JoinGroup")
            return
        }
        #expect(request.memberId == "")
    }

    @Test func aLostCoordinatorIsFoundAgainAfterTheBackoff() {
        var (machine, _) = joining()
        guard case .wait(let until) = machine.joinGroupResponded(JoinGroupResponse(errorCode: 16), now: now) else {
            Issue.record("expected a backoff")
            return
        }
        #expect(until == now + .milliseconds(100))
        #expect(machine.poll(now: until).isFindCoordinator)
    }

    @Test func aFatalJoinErrorIsReported() {
        var (machine, _) = joining()
        guard case .fail(let error) = machine.joinGroupResponded(JoinGroupResponse(errorCode: 23), now: now) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.errorCode == .inconsistentGroupProtocol)
    }

    @Test func leavingSendsLeaveGroupOnceAndCloses() {
        var machine = stableFollower([t0])
        guard case .leaveGroup(let request) = machine.leave(closing: true) else {
            Issue.record("expected LeaveGroup")
            return
        }
        #expect(request.memberId == "me")
        #expect(request.members.map(\.memberId) == ["me"])
        #expect(machine.leave(closing: true).isNone)
        guard case .fail(let error) = machine.poll(now: now) else {
            Issue.record("a closed member cannot poll")
            return
        }
        #expect(error.code == .shutdown)
    }

    @Test func aNewSubscriptionRejoins() {
        var machine = stableFollower([t0])
        machine.subscribed(to: ["orders", "payments"], now: now)
        guard case .revoke = machine.poll(now: now) else {
            Issue.record("expected revocation")
            return
        }
        guard case .joinGroup(let request) = machine.revoked(now: now) else {
            Issue.record("expected JoinGroup")
            return
        }
        #expect((try? ConsumerProtocolSubscription(decoding: request.protocols[0].metadata).topics) == ["orders", "payments"])
    }
}

extension ConsumerGroupStateMachine.Action {
    var isNone: Bool { if case .none = self { return true } else { return false } }
    var isFindCoordinator: Bool { if case .findCoordinator = self { return true } else { return false } }
}
