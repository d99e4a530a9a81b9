import KafkaBroker
import KafkaProtocol
import NIOCore

/// An arbitrary origin for the scenarios' clock; `at(ms)` is that many milliseconds later.
let origin = NIODeadline.uptimeNanoseconds(1_000_000_000)

func at(_ milliseconds: Int64) -> NIODeadline {
    origin + .milliseconds(milliseconds)
}

/// What every test consumer subscribes with; the coordinator passes it through untouched.
let subscription = ByteBuffer(string: "subscription")

/// The assignment the harness's leader hands to `client`'s member.
func partitions(_ client: String) -> ByteBuffer {
    ByteBuffer(string: "\(client)-partitions")
}

func consumer(
    _ memberId: String = "", client: String, instance: String? = nil,
    protocols: [String] = ["range"], session: Int32 = 10_000, rebalance: Int32 = 30_000, version: Int16 = 3
) -> GroupJoinRequest {
    GroupJoinRequest(
        memberId: memberId, groupInstanceId: instance, protocolType: "consumer",
        protocols: protocols.map { GroupProtocol(name: $0, metadata: subscription) },
        sessionTimeoutMs: session, rebalanceTimeoutMs: rebalance, clientId: client, clientHost: "/127.0.0.1",
        apiVersion: version)
}

/// A successful join answer of a "consumer" group; `members` lists the member ids the leader sees.
func joined(
    _ memberId: String, generation: Int32, leader: String, protocolName: String = "range", members: [String] = []
) -> JoinGroupResult {
    JoinGroupResult(
        generationId: generation, protocolType: "consumer", protocolName: protocolName, leaderId: leader,
        memberId: memberId, members: members.map { JoinGroupResultMember(memberId: $0, metadata: subscription) })
}

func assigned(_ assignment: ByteBuffer, protocolName: String = "range") -> SyncGroupResult {
    SyncGroupResult(protocolType: "consumer", protocolName: protocolName, assignment: assignment)
}

/// Drives one `GroupStateMachine` (group "g") with the scenario clock and member ids "<client>-m<n>".
struct GroupHarness {
    var group: GroupStateMachine
    var memberIds = MemberIdGenerator(prefix: "m")
    /// Request ids of the requests a scenario's set-up sends, out of the way of the test's own.
    private var setupRequestId: UInt64 = 1000

    init(configuration: GroupCoordinatorConfiguration = GroupCoordinatorConfiguration()) {
        group = GroupStateMachine(groupId: "g", configuration: configuration)
    }

    /// A Stable group whose members joined at time 0 in the given order and got `partitions(client)`.
    static func stable(_ requests: GroupJoinRequest...) -> GroupHarness {
        var harness = GroupHarness()
        for request in requests {
            let actions = harness.join(request, id: harness.nextSetupId(), at: 0)
            if case .completeJoin(_, let result) = actions.first, result.error == .memberIdRequired {
                var rejoin = request
                rejoin.memberId = result.memberId
                _ = harness.join(rejoin, id: harness.nextSetupId(), at: 0)
            }
        }
        // Everyone but the newest member got the previous generation's answer and must rejoin.
        let joinedIds = harness.group.memberIds
        for (memberId, request) in zip(joinedIds, requests).dropLast() where harness.group.state == .preparingRebalance {
            var rejoin = request
            rejoin.memberId = memberId
            _ = harness.join(rejoin, id: harness.nextSetupId(), at: 0)
        }
        let generation = harness.group.generationId
        let clients = Dictionary(uniqueKeysWithValues: harness.group.describe().members.map { ($0.memberId, $0.clientId) })
        let leader = harness.group.leaderId ?? ""
        for memberId in harness.group.memberIds where memberId != leader {
            _ = harness.sync(memberId, generation: generation, id: harness.nextSetupId(), at: 0)
        }
        _ = harness.sync(
            leader, generation: generation, assignments: clients.mapValues { partitions($0) }, id: harness.nextSetupId(),
            at: 0)
        return harness
    }

    private mutating func nextSetupId() -> GroupRequestID {
        setupRequestId += 1
        return GroupRequestID(rawValue: setupRequestId)
    }

    mutating func join(_ request: GroupJoinRequest, id: GroupRequestID, at milliseconds: Int64) -> [GroupAction] {
        group.joinGroup(request, id: id, now: at(milliseconds), memberIds: &memberIds)
    }

    mutating func sync(
        _ memberId: String, generation: Int32, instance: String? = nil, assignments: [String: ByteBuffer] = [:],
        id: GroupRequestID, at milliseconds: Int64
    ) -> [GroupAction] {
        let request = GroupSyncRequest(
            memberId: memberId, groupInstanceId: instance, generationId: generation, assignments: assignments)
        return group.syncGroup(request, id: id, now: at(milliseconds))
    }

    mutating func heartbeat(
        _ memberId: String, generation: Int32, instance: String? = nil, id: GroupRequestID, at milliseconds: Int64
    ) -> [GroupAction] {
        group.heartbeat(memberId: memberId, groupInstanceId: instance, generationId: generation, id: id, now: at(milliseconds))
    }

    mutating func leave(_ members: [GroupMemberIdentity], id: GroupRequestID, at milliseconds: Int64) -> [GroupAction] {
        group.leaveGroup(members: members, id: id, now: at(milliseconds))
    }

    mutating func sessionExpired(_ memberId: String, at milliseconds: Int64) -> [GroupAction] {
        group.sessionTimeoutExpired(memberId: memberId, now: at(milliseconds))
    }

    mutating func rebalanceExpired(at milliseconds: Int64) -> [GroupAction] {
        group.rebalanceTimeoutExpired(now: at(milliseconds))
    }

    mutating func commit(_ memberId: String, generation: Int32, instance: String? = nil, at milliseconds: Int64)
        -> ErrorCode
    {
        group.validateOffsetCommit(
            memberId: memberId, generationId: generation, groupInstanceId: instance, now: at(milliseconds))
    }
}
