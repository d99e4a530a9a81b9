import KafkaProtocol

/// DescribeGroups 0–5: state, protocol and members with their metadata and assignments. An
/// unknown group is reported as Dead with no error, as Kafka does before v6. Authorized
/// operations, when asked for, are all a group supports (there is no authorizer).
struct DescribeGroupsHandler: ApiHandler {
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...5

    func handle(_ request: DescribeGroupsRequest, context: RequestContext) async throws -> DescribeGroupsResponse? {
        let authorizedOperations = AuthorizedOperations.field(on: .group, requested: request.includeAuthorizedOperations)
        return DescribeGroupsResponse(
            groups: request.groups.map { groupId in
                var description = coordinator.describe(groupId)
                if description.state == .dead && !coordinator.offsets.committedOffsets(group: groupId).isEmpty {
                    description = GroupDescription(groupId: groupId, state: .empty, protocolType: "", protocolName: "", members: [])
                }
                return .init(
                    errorCode: 0, groupId: groupId, groupState: description.state.rawValue,
                    protocolType: description.protocolType, protocolData: description.protocolName,
                    members: description.members.map {
                        .init(
                            memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, clientId: $0.clientId,
                            clientHost: $0.clientHost, memberMetadata: $0.metadata, memberAssignment: $0.assignment)
                    },
                    authorizedOperations: authorizedOperations)
            })
    }
}
