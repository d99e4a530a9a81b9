import KafkaProtocol

/// DeleteGroups 0–2: only groups without members, and with an authorizer only those the
/// principal may DELETE; their offsets go too.
struct DeleteGroupsHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...2

    func handle(_ request: DeleteGroupsRequest, context: RequestContext) async throws -> DeleteGroupsResponse? {
        var results: [DeleteGroupsResponse.DeletableGroupResult] = []
        for group in request.groupsNames {
            guard state.authorize(context, .delete, .group, group) else {
                results.append(.init(groupId: group, errorCode: ErrorCode.groupAuthorizationFailed.rawValue))
                continue
            }
            results.append(.init(groupId: group, errorCode: await coordinator.delete(group).rawValue))
        }
        return DeleteGroupsResponse(results: results)
    }
}
