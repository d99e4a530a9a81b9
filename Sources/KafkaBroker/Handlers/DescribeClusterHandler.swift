import KafkaProtocol

/// DescribeCluster 0–1: one broker, which is also the controller, and on request every cluster
/// operation as authorized (there is no authorizer).
struct DescribeClusterHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...1

    func handle(_ request: DescribeClusterRequest, context: RequestContext) async throws -> DescribeClusterResponse? {
        let listener = state.advertisedListener(for: context.listenerName)
        var response = DescribeClusterResponse(clusterId: state.clusterId, controllerId: state.configuration.nodeId)
        if request.endpointType != 1 {
            response.errorCode = ErrorCode.unsupportedEndpointType.rawValue
            response.errorMessage = "Samsa has broker endpoints only"
            return response
        }
        response.brokers = [.init(brokerId: state.configuration.nodeId, host: listener.host, port: Int32(listener.port), rack: nil)]
        response.clusterAuthorizedOperations = AuthorizedOperations.field(
            on: .cluster, requested: request.includeClusterAuthorizedOperations)
        return response
    }
}
