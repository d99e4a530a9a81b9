import KafkaProtocol

/// JoinGroup 0–9 (v8 adds the reason a member joins, v9 a rejoining static leader's
/// SkipAssignment, KIP-814). The request waits (parked in the coordinator) until the rebalance
/// completes.
struct JoinGroupHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...9

    func handle(_ request: JoinGroupRequest, context: RequestContext) async throws -> JoinGroupResponse? {
        guard state.authorize(context, .read, .group, request.groupId) else {
            return JoinGroupResponse(errorCode: ErrorCode.groupAuthorizationFailed.rawValue, memberId: request.memberId)
        }
        let join = GroupJoinRequest(
            memberId: request.memberId,
            groupInstanceId: request.groupInstanceId,
            protocolType: request.protocolType,
            protocols: request.protocols.map { GroupProtocol(name: $0.name, metadata: $0.metadata) },
            sessionTimeoutMs: request.sessionTimeoutMs,
            // v0 has no rebalance timeout: Kafka uses the session timeout.
            rebalanceTimeoutMs: context.apiVersion == 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
            clientId: context.clientId ?? "",
            clientHost: context.clientHost,
            apiVersion: context.apiVersion)
        let result = await coordinator.join(groupId: request.groupId, join)
        return JoinGroupResponse(
            errorCode: result.error.rawValue,
            generationId: result.generationId,
            protocolType: result.protocolType,
            protocolName: result.protocolName,
            leader: result.leaderId,
            skipAssignment: result.skipAssignment,
            memberId: result.memberId,
            members: result.members.map { .init(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, metadata: $0.metadata) })
    }
}
