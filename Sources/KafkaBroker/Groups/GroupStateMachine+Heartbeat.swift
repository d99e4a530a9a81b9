import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// A Heartbeat request (Kafka's `handleHeartbeat`): keeps the member's session alive and tells it,
    /// with REBALANCE_IN_PROGRESS, when it must rejoin.
    public mutating func heartbeat(
        memberId: String, groupInstanceId: String? = nil, generationId: Int32, id: GroupRequestID, now: NIODeadline
    ) -> [GroupAction] {
        var actions = [GroupAction.completeHeartbeat(id, heartbeatError(memberId, groupInstanceId, generationId, now))]
        reconcileTimers(actions: &actions)
        return actions
    }

    private mutating func heartbeatError(
        _ memberId: String, _ groupInstanceId: String?, _ generationId: Int32, _ now: NIODeadline
    ) -> ErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if case .error(let error) = lookUpCurrentMember(memberId, groupInstanceId: groupInstanceId) { return error }
        if generationId != self.generationId { return .illegalGeneration }
        switch state {
        case .completingRebalance, .stable:
            // Members may heartbeat between their join response and their sync.
            extendSession(of: memberId, now: now)
            return .noError
        case .preparingRebalance:
            extendSession(of: memberId, now: now)
            return .rebalanceInProgress
        case .empty, .dead:
            return .unknownMemberId
        }
    }
}
