import KafkaProtocol

/// DescribeGroups 0–5: state, protocol and members with their metadata and assignments. An
/// unknown group is reported as Dead with no error, as Kafka does before v6. With an authorizer a
/// group needs DESCRIBE (else GROUP_AUTHORIZATION_FAILED), and authorized operations are the
/// principal's.
struct DescribeGroupsHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...5

    func handle(_ request: DescribeGroupsRequest, context: RequestContext) async throws -> DescribeGroupsResponse? {
        DescribeGroupsResponse(
            groups: request.groups.map { groupId in
                guard state.authorize(context, .describe, .group, groupId) else {
                    return .init(
                        errorCode: ErrorCode.groupAuthorizationFailed.rawValue, groupId: groupId, groupState: "", protocolType: "",
                        protocolData: "", members: [])
                }
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
                    authorizedOperations: AuthorizedOperations.field(
                        on: .group, named: groupId, requested: request.includeAuthorizedOperations, context: context,
                        authorizer: state.authorizer))
            })
    }
}
