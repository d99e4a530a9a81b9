import KafkaProtocol

/// DeleteGroups 0–2: only groups without members; their offsets go too.
struct DeleteGroupsHandler: ApiHandler {
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...2

    func handle(_ request: DeleteGroupsRequest, context: RequestContext) async throws -> DeleteGroupsResponse? {
        var results: [DeleteGroupsResponse.DeletableGroupResult] = []
        for group in request.groupsNames {
            results.append(.init(groupId: group, errorCode: await coordinator.delete(group).rawValue))
        }
        return DeleteGroupsResponse(results: results)
    }
}
