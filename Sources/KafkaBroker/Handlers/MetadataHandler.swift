import KafkaProtocol

/// Metadata 0–12: this broker as the only broker, controller and leader of every partition.
/// Leader epochs are reported as -1, so clients never need OffsetForLeaderEpoch. With an
/// authorizer, as in Kafka: a listing leaves out topics the principal may not describe, a named
/// one it may not describe (or auto-create without CREATE on the cluster or the topic) answers
/// TOPIC_AUTHORIZATION_FAILED, and authorized operations are the principal's.
struct MetadataHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...12

    func handle(_ request: MetadataRequest, context: RequestContext) async throws -> MetadataResponse? {
        let listener = state.advertisedListener(for: context.listenerName)
        var response = MetadataResponse(
            brokers: [.init(nodeId: state.configuration.nodeId, host: listener.host, port: Int32(listener.port), rack: nil)],
            clusterId: state.clusterId,
            controllerId: state.configuration.nodeId,
            clusterAuthorizedOperations: AuthorizedOperations.field(
                on: .cluster, named: ResourcePattern.clusterName, requested: request.includeClusterAuthorizedOperations,
                context: context, authorizer: state.authorizer)
        )
        let topicOperations = { (name: String) in
            AuthorizedOperations.field(
                on: .topic, named: name, requested: request.includeTopicAuthorizedOperations, context: context,
                authorizer: state.authorizer)
        }
        let requested = request.topics ?? []
        // v0 asks for every topic with an empty list; v1+ with null.
        if request.topics == nil || (context.apiVersion == 0 && requested.isEmpty) {
            response.topics = state.topics.allTopics().filter { state.isAllowed(context, .describe, .topic, $0.name) }
                .map { describe($0, authorizedOperations: topicOperations($0.name)) }
            return response
        }
        // Before v4 the request has no flag and the broker setting alone decides (P13).
        let mayCreate = state.configuration.autoCreateTopics && (context.apiVersion < 4 || request.allowAutoTopicCreation)
        for requestedTopic in requested {
            guard let name = requestedTopic.name else {
                let topic = state.topics.topic(withId: requestedTopic.topicId)
                if let topic, !state.authorize(context, .describe, .topic, topic.name) {
                    response.topics.append(
                        .init(errorCode: ErrorCode.topicAuthorizationFailed.rawValue, name: nil, topicId: requestedTopic.topicId))
                    continue
                }
                response.topics.append(
                    topic.map { describe($0, authorizedOperations: topicOperations($0.name)) }
                        ?? .init(errorCode: ErrorCode.unknownTopicId.rawValue, name: nil, topicId: requestedTopic.topicId))
                continue
            }
            guard state.authorize(context, .describe, .topic, name),
                !mayCreate || state.topics.topic(named: name) != nil || mayAutoCreate(name, context: context)
            else {
                response.topics.append(.init(errorCode: ErrorCode.topicAuthorizationFailed.rawValue, name: name, isInternal: false))
                continue
            }
            do throws(TopicError) {
                response.topics.append(
                    describe(
                        try state.topics.topicCreatingIfAllowed(name, allowed: mayCreate), authorizedOperations: topicOperations(name)))
            } catch {
                response.topics.append(.init(errorCode: error.code.rawValue, name: name, isInternal: false))
            }
        }
        return response
    }

    /// Kafka lets CREATE on the cluster or on the topic itself auto-create it.
    private func mayAutoCreate(_ name: String, context: RequestContext) -> Bool {
        state.isAllowed(context, .create, .cluster, ResourcePattern.clusterName) || state.authorize(context, .create, .topic, name)
    }

    private func describe(_ topic: Topic, authorizedOperations: Int32) -> MetadataResponse.MetadataResponseTopic {
        let node = state.configuration.nodeId
        return .init(
            errorCode: 0,
            name: topic.name,
            topicId: topic.id,
            isInternal: topic.isInternal,
            partitions: topic.partitions.indices.map { index in
                .init(
                    errorCode: 0, partitionIndex: Int32(index), leaderId: node, leaderEpoch: -1, replicaNodes: [node],
                    isrNodes: [node], offlineReplicas: [])
            },
            topicAuthorizedOperations: authorizedOperations
        )
    }
}
