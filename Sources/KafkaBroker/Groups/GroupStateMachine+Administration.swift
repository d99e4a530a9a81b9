import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// The group as DescribeGroups shows it. Kafka reports the protocol, the members' metadata and
    /// their assignments only while Stable, when they belong to one generation.
    public func describe() -> GroupDescription {
        let isStable = state == .stable
        let protocolName = isStable ? (self.protocolName ?? "") : ""
        let members = orderedMembers.map { member in
            GroupMemberDescription(
                memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId,
                clientHost: member.clientHost,
                metadata: isStable ? member.metadata(for: protocolName) : ByteBuffer(),
                assignment: isStable ? member.assignment : ByteBuffer())
        }
        return GroupDescription(
            groupId: groupId, state: state, protocolType: protocolType ?? "", protocolName: protocolName,
            members: members)
    }

    /// The group as ListGroups shows it.
    public var listing: GroupListing {
        GroupListing(groupId: groupId, protocolType: protocolType ?? "", state: state)
    }

    /// DeleteGroups: only a group without members can go (then it is Dead and the runtime drops its
    /// offsets); GROUP_ID_NOT_FOUND when already deleted.
    public mutating func deleteGroup() -> ErrorCode {
        switch state {
        case .dead:
            return .groupIdNotFound
        case .empty:
            state = .dead
            return .noError
        case .preparingRebalance, .completingRebalance, .stable:
            return .nonEmptyGroup
        }
    }

    /// The group metadata record Kafka writes to `__consumer_offsets`.
    public func snapshot() -> GroupMetadataSnapshot {
        let protocolName = self.protocolName ?? ""
        return GroupMetadataSnapshot(
            groupId: groupId, protocolType: protocolType, generationId: generationId,
            protocolName: self.protocolName, leaderId: leaderId,
            members: orderedMembers.map { member in
                GroupMemberSnapshot(
                    memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId,
                    clientHost: member.clientHost, rebalanceTimeoutMs: member.rebalanceTimeoutMs,
                    sessionTimeoutMs: member.sessionTimeoutMs, subscription: member.metadata(for: protocolName),
                    assignment: member.assignment)
            })
    }

    /// A group read back from `__consumer_offsets` at start-up (Kafka's `loadGroup` and
    /// `onGroupLoaded`): Stable with its members, or Empty. Each member gets a full session from
    /// `now` to reconnect and heartbeat; the actions schedule those session timers.
    public static func restore(
        _ snapshot: GroupMetadataSnapshot, configuration: GroupCoordinatorConfiguration = GroupCoordinatorConfiguration(),
        now: NIODeadline
    ) -> (group: GroupStateMachine, actions: [GroupAction]) {
        var group = GroupStateMachine(groupId: snapshot.groupId, configuration: configuration)
        group.generationId = snapshot.generationId
        group.protocolType = snapshot.protocolType
        group.protocolName = snapshot.protocolName
        group.leaderId = snapshot.leaderId
        for saved in snapshot.members {
            let member = GroupMember(
                memberId: saved.memberId, groupInstanceId: saved.groupInstanceId, clientId: saved.clientId,
                clientHost: saved.clientHost, sessionTimeoutMs: saved.sessionTimeoutMs,
                rebalanceTimeoutMs: saved.rebalanceTimeoutMs, protocolType: snapshot.protocolType ?? "",
                protocols: [GroupProtocol(name: snapshot.protocolName ?? "", metadata: saved.subscription)],
                assignment: saved.assignment, isNew: false,
                sessionDeadline: now + .milliseconds(Int64(saved.sessionTimeoutMs)))
            group.members[saved.memberId] = member
            group.memberOrder.append(saved.memberId)
            group.sessionTimersToReconcile.append(saved.memberId)
        }
        group.state = group.members.isEmpty ? .empty : .stable
        var actions: [GroupAction] = []
        group.reconcileTimers(actions: &actions)
        return (group, actions)
    }
}
