import KafkaProtocol

/// ListGroups 0–5, with the states (v4) and types (v5) filters. Groups that only have committed
/// offsets (`assign()` consumers) are listed as Empty, as Kafka lists them. With an authorizer,
/// DESCRIBE on the cluster lists every group, otherwise those the principal may describe.
struct ListGroupsHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...5

    func handle(_ request: ListGroupsRequest, context: RequestContext) async throws -> ListGroupsResponse? {
        var listings = coordinator.list(states: request.statesFilter, types: request.typesFilter)
        let listed = Set(listings.map(\.groupId))
        let states = Set(request.statesFilter.map { $0.lowercased() })
        let types = Set(request.typesFilter.map { $0.lowercased() })
        if (states.isEmpty || states.contains("empty")) && (types.isEmpty || types.contains("classic")) {
            for group in coordinator.offsets.groupsWithOffsets where !listed.contains(group) {
                listings.append(GroupListing(groupId: group, protocolType: "", state: .empty))
            }
        }
        if !state.isAllowed(context, .describe, .cluster, ResourcePattern.clusterName) {
            listings.removeAll { !state.isAllowed(context, .describe, .group, $0.groupId) }
        }
        return ListGroupsResponse(
            groups: listings.sorted { $0.groupId < $1.groupId }.map {
                .init(groupId: $0.groupId, protocolType: $0.protocolType, groupState: $0.state.rawValue, groupType: "classic")
            })
    }
}
