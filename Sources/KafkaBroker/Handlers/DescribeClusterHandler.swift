import KafkaProtocol

/// DescribeCluster 0–1: one broker, which is also the controller, and on request the cluster
/// operations the principal may perform: every one without an authorizer, none without DESCRIBE
/// on the cluster, as Kafka answers.
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
        response.clusterAuthorizedOperations =
            request.includeClusterAuthorizedOperations && !state.authorizeCluster(context, .describe)
            ? 0
            : AuthorizedOperations.field(
                on: .cluster, named: ResourcePattern.clusterName, requested: request.includeClusterAuthorizedOperations,
                context: context, authorizer: state.authorizer)
        return response
    }
}
