import KafkaProtocol
import NIOCore

/// A consumer's group membership without I/O (Kafka's AbstractCoordinator and ConsumerCoordinator):
/// find the coordinator, JoinGroup (with KIP-394's MEMBER_ID_REQUIRED round), let the leader
/// assign partitions, SyncGroup, then heartbeat until a rebalance asks for a new round; LeaveGroup
/// at the end. Each event returns the next `Action`; the consumer runs it and reports back.
struct ConsumerGroupStateMachine {
    struct Settings {
        var groupId: String
        /// `group_instance_id`: a static member, which keeps its partitions across restarts and never
        /// sends LeaveGroup (KIP-345).
        var groupInstanceId: String? = nil
        var sessionTimeoutMs: Int32
        /// `max_poll_interval_ms`: how long the coordinator waits for members to rejoin.
        var rebalanceTimeoutMs: Int32
        var heartbeatInterval: TimeAmount
        var retryBackoff: TimeAmount
        var assignors: [KafkaPartitionAssignor]
    }

    struct Generation: Hashable, Sendable {
        var generationId: Int32
        var memberId: String
        /// The assignor the group chose.
        var protocolName: String
    }

    enum Action {
        /// The group is stable and the assignment current: nothing to do.
        case none
        case findCoordinator
        /// Before rejoining: the consumer gives up these partitions, committing their positions
        /// first when `commit` is true (the generation is still valid), then calls `revoked`.
        case revoke([TopicPartition], commit: Bool)
        case joinGroup(JoinGroupRequest)
        /// The member leads: the assignment needs these topics' partition counts.
        case fetchPartitionCounts([String])
        case syncGroup(SyncGroupRequest)
        /// SyncGroup delivered the member's partitions.
        case assign([TopicPartition])
        case heartbeat(HeartbeatRequest)
        case leaveGroup(LeaveGroupRequest)
        /// Nothing can happen before this time (a backoff, the next heartbeat).
        case wait(until: NIODeadline)
        case fail(KafkaError)
    }

    private enum State {
        case unsubscribed
        case needsCoordinator(notBefore: NIODeadline)
        /// The coordinator is known; a JoinGroup round is due. `committing` is the generation the
        /// partitions still owned may be committed with before they are revoked (the coordinator
        /// accepts it until the round completes), nil when the member lost it.
        case needsJoin(notBefore: NIODeadline, committing: Generation?)
        case revoking(committing: Generation?)
        case joining
        case awaitingPartitionCounts(Generation, subscriptions: [String: [String]])
        case syncing(Generation)
        case stable(Generation, nextHeartbeat: NIODeadline, heartbeatInFlight: Bool)
        case closed
    }

    let settings: Settings
    private var state: State = .unsubscribed
    /// Kept across rounds so that the coordinator recognises the member; cleared on UNKNOWN_MEMBER_ID.
    private(set) var memberId = ""
    private(set) var subscribedTopics: [String] = []
    /// The partitions this member owns, until revoked.
    private(set) var assignment: [TopicPartition] = []

    init(settings: Settings) {
        self.settings = settings
    }

    /// The current generation while the group is stable: what offset commits must carry.
    var generation: Generation? {
        if case .stable(let generation, _, _) = state { return generation }
        return nil
    }

    var isStable: Bool { generation != nil }

    /// The generation an offset commit carries: the current one while stable, and the last one
    /// while the partitions it assigned are being given up, so that the consumer (and its
    /// rebalance listener) can commit what it processed before a rebalance.
    var committingGeneration: Generation? {
        switch state {
        case .stable(let generation, _, _): generation
        case .needsJoin(_, let generation), .revoking(let generation): generation
        default: nil
        }
    }

    // MARK: - Subscription

    /// The consumer subscribed (or the topics matching its pattern changed): a new round is needed
    /// when the topics differ from the current ones.
    mutating func subscribed(to topics: [String], now: NIODeadline) {
        let topics = Array(Set(topics)).sorted()
        guard topics != subscribedTopics || Self.isUnsubscribed(state) else { return }
        subscribedTopics = topics
        switch state {
        case .unsubscribed, .closed:
            state = .needsCoordinator(notBefore: now)
        case .stable(let generation, _, _):
            state = .needsJoin(notBefore: now, committing: generation)
        case .needsCoordinator, .needsJoin, .revoking, .joining, .awaitingPartitionCounts, .syncing:
            // The round in progress is restarted with the new topics once it answers.
            break
        }
    }

    private static func isUnsubscribed(_ state: State) -> Bool {
        if case .unsubscribed = state { return true }
        return false
    }

    // MARK: - Driving the group

    /// The consumer polls: what it must do to be a stable member with a current assignment.
    mutating func poll(now: NIODeadline) -> Action {
        switch state {
        case .unsubscribed, .stable:
            return .none
        case .closed:
            return .fail(KafkaError.shutdown("the consumer"))
        case .needsCoordinator(let notBefore):
            return notBefore > now ? .wait(until: notBefore) : .findCoordinator
        case .needsJoin(let notBefore, let generation):
            if notBefore > now { return .wait(until: notBefore) }
            if !assignment.isEmpty {
                state = .revoking(committing: generation)
                return .revoke(assignment, commit: generation != nil)
            }
            return join()
        case .revoking, .joining, .awaitingPartitionCounts, .syncing:
            // A request of this round is in flight; its answer drives the next step.
            return .wait(until: now + settings.retryBackoff)
        }
    }

    mutating func coordinatorFound(now: NIODeadline) -> Action {
        guard case .needsCoordinator = state else { return .none }
        state = .needsJoin(notBefore: now, committing: nil)
        return poll(now: now)
    }

    /// FindCoordinator failed, or a request to the coordinator failed in transit.
    mutating func coordinatorUnavailable(now: NIODeadline) -> Action {
        switch state {
        case .unsubscribed, .closed:
            return .none
        default:
            state = .needsCoordinator(notBefore: now + settings.retryBackoff)
            return .wait(until: now + settings.retryBackoff)
        }
    }

    mutating func revoked(now: NIODeadline) -> Action {
        assignment = []
        guard case .revoking = state else { return poll(now: now) }
        return join()
    }

    private mutating func join() -> Action {
        state = .joining
        let metadata = ConsumerProtocolSubscription(topics: subscribedTopics).encoded()
        return .joinGroup(
            JoinGroupRequest(
                groupId: settings.groupId, sessionTimeoutMs: settings.sessionTimeoutMs, rebalanceTimeoutMs: settings.rebalanceTimeoutMs,
                memberId: memberId, groupInstanceId: settings.groupInstanceId, protocolType: "consumer",
                protocols: settings.assignors.map { .init(name: $0.name, metadata: metadata) }))
    }

    mutating func joinGroupResponded(_ response: JoinGroupResponse, now: NIODeadline) -> Action {
        guard case .joining = state else { return .none }
        switch ErrorCode(rawValue: response.errorCode) {
        case .noError:
            memberId = response.memberId
            let generation = Generation(
                generationId: response.generationId, memberId: response.memberId, protocolName: response.protocolName ?? "")
            guard response.leader == response.memberId else {
                state = .syncing(generation)
                return .syncGroup(syncGroupRequest(generation, assignments: []))
            }
            var subscriptions: [String: [String]] = [:]
            for member in response.members {
                do {
                    subscriptions[member.memberId] = try ConsumerProtocolSubscription(decoding: member.metadata).topics
                } catch {
                    state = .needsJoin(notBefore: now + settings.retryBackoff, committing: nil)
                    return .fail(error)
                }
            }
            state = .awaitingPartitionCounts(generation, subscriptions: subscriptions)
            return .fetchPartitionCounts(Array(Set(subscriptions.values.flatMap { $0 })).sorted())
        case .memberIdRequired:
            // KIP-394: the coordinator hands out the id on the first JoinGroup; join again with it.
            memberId = response.memberId
            return join()
        case let code:
            return roundFailed(code, response: "JoinGroup", now: now)
        }
    }

    /// The leader's metadata arrived: assign with the group's chosen assignor and send SyncGroup.
    mutating func partitionCountsReceived(_ partitionCounts: [String: Int32], now: NIODeadline) -> Action {
        guard case .awaitingPartitionCounts(let generation, let subscriptions) = state else { return .none }
        guard let assignor = settings.assignors.first(where: { $0.name == generation.protocolName }) else {
            state = .needsJoin(notBefore: now + settings.retryBackoff, committing: nil)
            return .fail(
                KafkaError(.protocolViolation, "the group chose assignor '\(generation.protocolName)', which this consumer did not offer"))
        }
        let assignments = assignor.assign(subscriptions: subscriptions, partitionCounts: partitionCounts)
        state = .syncing(generation)
        return .syncGroup(syncGroupRequest(generation, assignments: assignments.sorted { $0.key < $1.key }))
    }

    /// Fetching the partition counts failed: the round starts over.
    mutating func partitionCountsUnavailable(now: NIODeadline) -> Action {
        guard case .awaitingPartitionCounts = state else { return .none }
        state = .needsJoin(notBefore: now + settings.retryBackoff, committing: nil)
        return .wait(until: now + settings.retryBackoff)
    }

    private func syncGroupRequest(_ generation: Generation, assignments: [(key: String, value: [TopicPartition])]) -> SyncGroupRequest {
        SyncGroupRequest(
            groupId: settings.groupId, generationId: generation.generationId, memberId: generation.memberId,
            groupInstanceId: settings.groupInstanceId, protocolType: "consumer", protocolName: generation.protocolName,
            assignments: assignments.map { .init(memberId: $0.key, assignment: ConsumerProtocolAssignment(partitions: $0.value).encoded()) }
        )
    }

    mutating func syncGroupResponded(_ response: SyncGroupResponse, now: NIODeadline) -> Action {
        guard case .syncing(let generation) = state else { return .none }
        guard response.errorCode == 0 else { return roundFailed(ErrorCode(rawValue: response.errorCode), response: "SyncGroup", now: now) }
        do {
            assignment = try ConsumerProtocolAssignment(decoding: response.assignment).partitions.sorted()
        } catch {
            state = .needsJoin(notBefore: now + settings.retryBackoff, committing: nil)
            return .fail(error)
        }
        state = .stable(generation, nextHeartbeat: now + settings.heartbeatInterval, heartbeatInFlight: false)
        return .assign(assignment)
    }

    /// JoinGroup or SyncGroup answered with an error: rejoin, find the coordinator again, or give up.
    private mutating func roundFailed(_ code: ErrorCode, response: String, now: NIODeadline) -> Action {
        switch code {
        case .unknownMemberId:
            memberId = ""
            state = .needsJoin(notBefore: now, committing: nil)
            return poll(now: now)
        case .rebalanceInProgress, .illegalGeneration:
            state = .needsJoin(notBefore: now, committing: nil)
            return poll(now: now)
        case .coordinatorNotAvailable, .notCoordinator, .coordinatorLoadInProgress:
            return coordinatorUnavailable(now: now)
        default:
            state = .needsJoin(notBefore: now + settings.retryBackoff, committing: nil)
            return .fail(KafkaError.broker(code, "\(response) for group \(settings.groupId)")!)
        }
    }

    // MARK: - Heartbeats

    /// The heartbeat timer fired: send a heartbeat when one is due, else say when to look again.
    mutating func heartbeatTimerFired(now: NIODeadline) -> Action {
        guard case .stable(let generation, let nextHeartbeat, let inFlight) = state else {
            return .wait(until: now + settings.heartbeatInterval)
        }
        if inFlight || nextHeartbeat > now { return .wait(until: inFlight ? now + settings.heartbeatInterval : nextHeartbeat) }
        state = .stable(generation, nextHeartbeat: nextHeartbeat, heartbeatInFlight: true)
        return .heartbeat(
            HeartbeatRequest(
                groupId: settings.groupId, generationId: generation.generationId, memberId: generation.memberId,
                groupInstanceId: settings.groupInstanceId))
    }

    /// A heartbeat's answer; a rebalance, or a coordinator that forgot the member, starts a new round
    /// at the next poll.
    mutating func heartbeatResponded(_ code: ErrorCode, now: NIODeadline) {
        guard case .stable(let generation, _, _) = state else { return }
        switch code {
        case .noError:
            state = .stable(generation, nextHeartbeat: now + settings.heartbeatInterval, heartbeatInFlight: false)
        case .rebalanceInProgress:
            state = .needsJoin(notBefore: now, committing: generation)
        case .unknownMemberId:
            memberId = ""
            state = .needsJoin(notBefore: now, committing: nil)
        case .illegalGeneration, .fencedInstanceId:
            state = .needsJoin(notBefore: now, committing: nil)
        case .coordinatorNotAvailable, .notCoordinator, .coordinatorLoadInProgress:
            state = .needsCoordinator(notBefore: now + settings.retryBackoff)
        default:
            state = .stable(generation, nextHeartbeat: now + settings.retryBackoff, heartbeatInFlight: false)
        }
    }

    /// The heartbeat could not be sent or answered: look for the coordinator again.
    mutating func heartbeatFailed(now: NIODeadline) {
        guard case .stable = state else { return }
        state = .needsCoordinator(notBefore: now + settings.retryBackoff)
    }

    /// An offset commit was refused because the group moved on: rejoin at the next poll.
    mutating func commitRefused(_ code: ErrorCode, now: NIODeadline) {
        switch code {
        case .unknownMemberId:
            memberId = ""
            state = .needsJoin(notBefore: now, committing: nil)
        case .rebalanceInProgress, .illegalGeneration:
            state = .needsJoin(notBefore: now, committing: nil)
        case .coordinatorNotAvailable, .notCoordinator, .coordinatorLoadInProgress:
            state = .needsCoordinator(notBefore: now)
        default:
            break
        }
    }

    // MARK: - Leaving

    /// The consumer closes or unsubscribes: LeaveGroup when it is a dynamic member. A static member
    /// stays in the group until its session times out, so that a restart does not rebalance.
    mutating func leave(closing: Bool) -> Action {
        let wasMember = !memberId.isEmpty && !Self.isUnsubscribed(state) && settings.groupInstanceId == nil
        let leavingId = memberId
        state = closing ? .closed : .unsubscribed
        memberId = ""
        assignment = []
        subscribedTopics = []
        guard wasMember else { return .none }
        // v0-2 name the member in `memberId`, v3+ in `members`; the encoder writes the one its version has.
        return .leaveGroup(
            LeaveGroupRequest(
                groupId: settings.groupId, memberId: leavingId, members: [.init(memberId: leavingId, reason: "the consumer is leaving")]))
    }
}
