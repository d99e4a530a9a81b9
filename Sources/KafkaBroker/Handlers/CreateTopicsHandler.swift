import KafkaProtocol

/// CreateTopics 0–7, with Kafka's validation and messages; -1 partitions or replication factor
/// (v4+) take the broker defaults. With an authorizer a topic needs CREATE on the cluster or on
/// itself (TOPIC_AUTHORIZATION_FAILED).
struct CreateTopicsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...7

    func handle(_ request: CreateTopicsRequest, context: RequestContext) async throws -> CreateTopicsResponse? {
        var response = CreateTopicsResponse()
        var seen: Set<String> = []
        let clusterCreateAllowed = state.isAllowed(context, .create, .cluster, ResourcePattern.clusterName)
        for requested in request.topics {
            var result = CreateTopicsResponse.CreatableTopicResult(name: requested.name, errorMessage: nil)
            guard seen.insert(requested.name).inserted else {
                result.errorCode = ErrorCode.invalidRequest.rawValue
                result.errorMessage =
                    "Create topics request from client `\(context.clientId ?? "")` contains multiple entries for the following topics: \(requested.name)"
                response.topics.append(result)
                continue
            }
            guard clusterCreateAllowed || state.authorize(context, .create, .topic, requested.name) else {
                result.errorCode = ErrorCode.topicAuthorizationFailed.rawValue
                result.errorMessage = AuthorizationMessage.topic
                response.topics.append(result)
                continue
            }
            var overrides: [String: String] = [:]
            for config in requested.configs {
                overrides[config.name] = config.value
            }
            do throws(TopicError) {
                let (partitions, replicationFactor) = try layout(of: requested)
                if request.validateOnly {
                    try state.topics.validateCreation(
                        name: requested.name, partitions: partitions, replicationFactor: replicationFactor, overrides: overrides)
                    result.topicId = .zero
                } else {
                    let topic = try state.topics.create(
                        name: requested.name, partitions: partitions, replicationFactor: replicationFactor, overrides: overrides)
                    result.topicId = topic.id
                }
                result.numPartitions = partitions
                result.replicationFactor = replicationFactor
                result.configs = DescribeConfigsHandler.topicEntries(overrides: overrides, levels: state.dynamicConfiguration.levels).map {
                    .init(name: $0.name, value: $0.value, readOnly: $0.readOnly, configSource: $0.configSource.rawValue, isSensitive: false)
                }
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
            }
            response.topics.append(result)
        }
        return response
    }

    /// Partition count and replication factor, from the request or its manual assignment.
    private func layout(of topic: CreateTopicsRequest.CreatableTopic) throws(TopicError) -> (Int32, Int16) {
        if !topic.assignments.isEmpty {
            guard topic.numPartitions == -1, topic.replicationFactor == -1 else {
                throw TopicError(
                    .invalidRequest,
                    "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.")
            }
            let sorted = topic.assignments.sorted { $0.partitionIndex < $1.partitionIndex }
            guard sorted.enumerated().allSatisfy({ Int32($0.offset) == $0.element.partitionIndex }) else {
                throw TopicError(.invalidReplicaAssignment, "Partitions must be numbered consecutively from 0.")
            }
            let factor = sorted.map(\.brokerIds.count).max() ?? 0
            for assignment in sorted where assignment.brokerIds.contains(where: { $0 != state.configuration.nodeId }) {
                throw TopicError(
                    .invalidReplicaAssignment,
                    "The manual partition assignment includes a broker that is not registered: \(assignment.brokerIds)")
            }
            return (Int32(sorted.count), Int16(clamping: factor))
        }
        let partitions = topic.numPartitions == -1 ? state.configuration.numPartitions : topic.numPartitions
        let replicationFactor = topic.replicationFactor == -1 ? state.configuration.defaultReplicationFactor : topic.replicationFactor
        return (partitions, replicationFactor)
    }
}
