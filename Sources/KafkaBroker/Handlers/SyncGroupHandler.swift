import KafkaProtocol
import NIOCore

/// SyncGroup 0–5: followers wait for the leader's assignment.
struct SyncGroupHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...5

    func handle(_ request: SyncGroupRequest, context: RequestContext) async throws -> SyncGroupResponse? {
        guard state.authorize(context, .read, .group, request.groupId) else {
            return SyncGroupResponse(errorCode: ErrorCode.groupAuthorizationFailed.rawValue, assignment: ByteBuffer())
        }
        var assignments: [String: ByteBuffer] = [:]
        for assignment in request.assignments { assignments[assignment.memberId] = assignment.assignment }
        let result = await coordinator.sync(
            groupId: request.groupId,
            GroupSyncRequest(
                memberId: request.memberId, groupInstanceId: request.groupInstanceId, generationId: request.generationId,
                protocolType: request.protocolType, protocolName: request.protocolName, assignments: assignments))
        return SyncGroupResponse(
            errorCode: result.error.rawValue, protocolType: result.protocolType, protocolName: result.protocolName,
            assignment: result.assignment)
    }
}
