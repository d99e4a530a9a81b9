import KafkaProtocol

/// Heartbeat 0–4.
struct HeartbeatHandler: ApiHandler {
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...4

    func handle(_ request: HeartbeatRequest, context: RequestContext) async throws -> HeartbeatResponse? {
        let error = await coordinator.heartbeat(
            groupId: request.groupId, memberId: request.memberId, groupInstanceId: request.groupInstanceId,
            generationId: request.generationId)
        return HeartbeatResponse(errorCode: error.rawValue)
    }
}
