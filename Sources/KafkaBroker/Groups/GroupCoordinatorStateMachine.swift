import KafkaProtocol
import NIOCore

/// All classic groups of the broker behind one entry point (the group half of Kafka's
/// GroupCoordinator): routes each event to its group by group id, creates groups on first use and
/// forgets deleted ones. Like `GroupStateMachine`, a pure value driven by events that return
/// `GroupAction`s; the runtime serialises the calls and runs the actions.
public struct GroupCoordinatorStateMachine: Sendable {
    public let configuration: GroupCoordinatorConfiguration
    public private(set) var groups: [String: GroupStateMachine] = [:]
    private var memberIds: MemberIdGenerator

    /// - Parameter memberIdGenerator: seed it with a random prefix in the broker (ids must stay
    ///   unique across restarts), with a fixed one in tests.
    public init(
        configuration: GroupCoordinatorConfiguration = GroupCoordinatorConfiguration(),
        memberIdGenerator: MemberIdGenerator
    ) {
        self.configuration = configuration
        self.memberIds = memberIdGenerator
    }

    // MARK: - Membership

    /// JoinGroup. A join with an empty member id creates the group; one with a member id for a group
    /// that does not exist gets UNKNOWN_MEMBER_ID so the client starts over.
    public mutating func joinGroup(
        groupId: String, _ request: GroupJoinRequest, id: GroupRequestID, now: NIODeadline
    ) -> [GroupAction] {
        guard !groupId.isEmpty else {
            return [.completeJoin(id, .failure(.invalidGroupId, memberId: request.memberId))]
        }
        if let actions = groups[groupId]?.joinGroup(request, id: id, now: now, memberIds: &memberIds) {
            return actions
        }
        guard request.memberId.isEmpty else {
            return [.completeJoin(id, .failure(.unknownMemberId, memberId: request.memberId))]
        }
        var group = GroupStateMachine(groupId: groupId, configuration: configuration)
        let actions = group.joinGroup(request, id: id, now: now, memberIds: &memberIds)
        // A refused first join leaves an empty group with nothing to remember; Kafka's offset
        // expiration would remove it later, so it is not kept in the first place.
        if !group.isUnused { groups[groupId] = group }
        return actions
    }

    public mutating func syncGroup(
        groupId: String, _ request: GroupSyncRequest, id: GroupRequestID, now: NIODeadline
    ) -> [GroupAction] {
        guard !groupId.isEmpty else { return [.completeSync(id, .failure(.invalidGroupId))] }
        return groups[groupId]?.syncGroup(request, id: id, now: now) ?? [.completeSync(id, .failure(.unknownMemberId))]
    }

    public mutating func heartbeat(
        groupId: String, memberId: String, groupInstanceId: String? = nil, generationId: Int32, id: GroupRequestID,
        now: NIODeadline
    ) -> [GroupAction] {
        guard !groupId.isEmpty else { return [.completeHeartbeat(id, .invalidGroupId)] }
        return groups[groupId]?.heartbeat(
            memberId: memberId, groupInstanceId: groupInstanceId, generationId: generationId, id: id, now: now)
            ?? [.completeHeartbeat(id, .unknownMemberId)]
    }

    public mutating func leaveGroup(
        groupId: String, members: [GroupMemberIdentity], id: GroupRequestID, now: NIODeadline
    ) -> [GroupAction] {
        guard !groupId.isEmpty else {
            return [.completeLeave(id, LeaveGroupResult(error: .invalidGroupId, members: []))]
        }
        if let actions = groups[groupId]?.leaveGroup(members: members, id: id, now: now) {
            return actions
        }
        let results = members.map {
            LeaveGroupMemberResult(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, error: .unknownMemberId)
        }
        return [.completeLeave(id, LeaveGroupResult(members: results))]
    }

    // MARK: - Timers

    /// A `.scheduleSessionTimeout` timer fired.
    public mutating func sessionTimeoutExpired(groupId: String, memberId: String, now: NIODeadline) -> [GroupAction] {
        groups[groupId]?.sessionTimeoutExpired(memberId: memberId, now: now) ?? []
    }

    /// A `.scheduleRebalanceTimeout` timer fired.
    public mutating func rebalanceTimeoutExpired(groupId: String, now: NIODeadline) -> [GroupAction] {
        groups[groupId]?.rebalanceTimeoutExpired(now: now) ?? []
    }

    // MARK: - Offsets and administration

    /// Whether an OffsetCommit may be written; see `GroupStateMachine.validateOffsetCommit`. A commit
    /// with a negative generation for an unknown group creates it, Empty: that is how groups of
    /// consumers that never join (`assign()`) come to exist. A non-negative generation for an
    /// unknown group is from a generation the broker no longer knows.
    public mutating func validateOffsetCommit(
        groupId: String, memberId: String, generationId: Int32, groupInstanceId: String? = nil, now: NIODeadline
    ) -> ErrorCode {
        if let error = groups[groupId]?.validateOffsetCommit(
            memberId: memberId, generationId: generationId, groupInstanceId: groupInstanceId, now: now)
        {
            return error
        }
        guard generationId < 0 else { return .illegalGeneration }
        var group = GroupStateMachine(groupId: groupId, configuration: configuration)
        let error = group.validateOffsetCommit(
            memberId: memberId, generationId: generationId, groupInstanceId: groupInstanceId, now: now)
        groups[groupId] = group
        return error
    }

    /// DescribeGroups for one group; an unknown group is reported Dead, as Kafka does before v6.
    public func describeGroup(_ groupId: String) -> GroupDescription {
        groups[groupId]?.describe() ?? .dead(groupId: groupId)
    }

    /// ListGroups. `statesFilter` matches state names case-insensitively; `typesFilter` (v5+) matches
    /// "classic", the only group type here. Empty filters match everything.
    public func listGroups(statesFilter: [String] = [], typesFilter: [String] = []) -> [GroupListing] {
        let states = Set(statesFilter.map { $0.lowercased() })
        let types = Set(typesFilter.map { $0.lowercased() })
        guard types.isEmpty || types.contains("classic") else { return [] }
        return groups.values
            .map(\.listing)
            .filter { states.isEmpty || states.contains($0.state.rawValue.lowercased()) }
            .sorted { $0.groupId < $1.groupId }
    }

    /// DeleteGroups for one group. On `.noError` the group is gone and the runtime writes tombstones
    /// for its metadata and offsets.
    public mutating func deleteGroup(_ groupId: String) -> ErrorCode {
        guard let error = groups[groupId]?.deleteGroup() else { return .groupIdNotFound }
        if error == .noError { groups[groupId] = nil }
        return error
    }

    /// A group record replayed from `__consumer_offsets` at start-up. Call it once per group, with the
    /// group's last record in the log (earlier ones are superseded; a tombstone means no group).
    public mutating func loadGroup(_ snapshot: GroupMetadataSnapshot, now: NIODeadline) -> [GroupAction] {
        let (group, actions) = GroupStateMachine.restore(snapshot, configuration: configuration, now: now)
        groups[snapshot.groupId] = group
        return actions
    }
}
