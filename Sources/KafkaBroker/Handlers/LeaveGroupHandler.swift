import KafkaProtocol

/// LeaveGroup 0–5: one member before v3, a batch of members (by id or instance id) from v3.
struct LeaveGroupHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...5

    func handle(_ request: LeaveGroupRequest, context: RequestContext) async throws -> LeaveGroupResponse? {
        guard state.authorize(context, .read, .group, request.groupId) else {
            return LeaveGroupResponse(errorCode: ErrorCode.groupAuthorizationFailed.rawValue)
        }
        let members =
            context.apiVersion >= 3
            ? request.members.map { GroupMemberIdentity(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId) }
            : [GroupMemberIdentity(memberId: request.memberId)]
        let result = await coordinator.leave(groupId: request.groupId, members: members)
        if context.apiVersion < 3 {
            // One member: its error is the request's error.
            let error = result.error != .noError ? result.error : (result.members.first?.error ?? .noError)
            return LeaveGroupResponse(errorCode: error.rawValue)
        }
        return LeaveGroupResponse(
            errorCode: result.error.rawValue,
            members: result.members.map { .init(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, errorCode: $0.error.rawValue) })
    }
}
