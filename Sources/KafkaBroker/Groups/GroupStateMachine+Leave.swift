import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// A LeaveGroup request (Kafka's `handleLeaveGroup`) naming one or more members, by member id or,
    /// for an admin removing static members, by `group.instance.id` with an empty member id.
    public mutating func leaveGroup(
        members leaving: [GroupMemberIdentity], id: GroupRequestID, now: NIODeadline
    ) -> [GroupAction] {
        var actions: [GroupAction] = []
        guard state != .dead else {
            return [.completeLeave(id, LeaveGroupResult(error: .coordinatorNotAvailable, members: []))]
        }
        var results: [LeaveGroupMemberResult] = []
        for identity in leaving {
            let error = leave(identity, now: now, actions: &actions)
            results.append(
                LeaveGroupMemberResult(memberId: identity.memberId, groupInstanceId: identity.groupInstanceId, error: error))
        }
        actions.append(.completeLeave(id, LeaveGroupResult(members: results)))
        reconcileTimers(actions: &actions)
        return actions
    }

    private mutating func leave(
        _ identity: GroupMemberIdentity, now: NIODeadline, actions: inout [GroupAction]
    ) -> ErrorCode {
        if identity.memberId.isEmpty {
            guard let groupInstanceId = identity.groupInstanceId, let memberId = staticMemberId(for: groupInstanceId)
            else { return .unknownMemberId }
            removeMemberAndUpdateGroup(memberId, now: now, actions: &actions)
            return .noError
        }
        if pendingMembers[identity.memberId] != nil {
            removePendingMember(identity.memberId, now: now, actions: &actions)
            return .noError
        }
        switch lookUpCurrentMember(identity.memberId, groupInstanceId: identity.groupInstanceId) {
        case .error(let error):
            return error
        case .member(let memberId):
            removeMemberAndUpdateGroup(memberId, now: now, actions: &actions)
            return .noError
        }
    }
}
