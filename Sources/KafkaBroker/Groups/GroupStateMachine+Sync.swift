import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// A SyncGroup request (Kafka's `handleSyncGroup`). Followers are parked until the leader's sync
    /// brings the assignment; then every parked sync is answered with its member's share.
    public mutating func syncGroup(_ request: GroupSyncRequest, id: GroupRequestID, now: NIODeadline) -> [GroupAction] {
        var actions: [GroupAction] = []
        if let error = validateSync(request) {
            actions.append(.completeSync(id, .failure(error)))
        } else {
            sync(request, id: id, now: now, actions: &actions)
        }
        reconcileTimers(actions: &actions)
        return actions
    }

    private func validateSync(_ request: GroupSyncRequest) -> ErrorCode? {
        if state == .dead { return .coordinatorNotAvailable }
        if case .error(let error) = lookUpCurrentMember(request.memberId, groupInstanceId: request.groupInstanceId) {
            return error
        }
        if request.generationId != generationId { return .illegalGeneration }
        if let type = request.protocolType, type != protocolType { return .inconsistentGroupProtocol }
        if let name = request.protocolName, name != protocolName { return .inconsistentGroupProtocol }
        return nil
    }

    private mutating func sync(
        _ request: GroupSyncRequest, id: GroupRequestID, now: NIODeadline, actions: inout [GroupAction]
    ) {
        let memberId = request.memberId
        switch state {
        case .empty, .dead:
            actions.append(.completeSync(id, .failure(.unknownMemberId)))
        case .preparingRebalance:
            actions.append(.completeSync(id, .failure(.rebalanceInProgress)))
        case .completingRebalance:
            if let superseded = members[memberId]?.awaitingSync {
                // Kafka drops an older parked sync of the same member silently; answer it instead.
                actions.append(.completeSync(superseded, .failure(.rebalanceInProgress)))
            }
            members[memberId]?.awaitingSync = id
            removePendingSyncMember(memberId)
            guard leaderId == memberId else { return }
            for member in memberOrder {
                members[member]?.assignment = request.assignments[member] ?? ByteBuffer()
            }
            actions.append(.persistGroup(snapshot()))
            propagateAssignment(error: .noError, now: now, actions: &actions)
            state = .stable
        case .stable:
            // A member that lost its sync response asks again: it gets the assignment it already has.
            removePendingSyncMember(memberId)
            let assignment = members[memberId]?.assignment ?? ByteBuffer()
            actions.append(
                .completeSync(
                    id, SyncGroupResult(protocolType: protocolType, protocolName: protocolName, assignment: assignment)))
            extendSession(of: memberId, now: now)
        }
    }
}
