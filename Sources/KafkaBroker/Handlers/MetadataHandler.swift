import KafkaProtocol

/// Metadata 0–12: this broker as the only broker, controller and leader of every partition.
/// Leader epochs are reported as -1, so clients never need OffsetForLeaderEpoch. Authorized
/// operations, when asked for, are all those Kafka supports (there is no authorizer).
struct MetadataHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...12

    func handle(_ request: MetadataRequest, context: RequestContext) async throws -> MetadataResponse? {
        let listener = state.advertisedListener(for: context.listenerName)
        var response = MetadataResponse(
            brokers: [.init(nodeId: state.configuration.nodeId, host: listener.host, port: Int32(listener.port), rack: nil)],
            clusterId: state.clusterId,
            controllerId: state.configuration.nodeId,
            clusterAuthorizedOperations: AuthorizedOperations.field(on: .cluster, requested: request.includeClusterAuthorizedOperations)
        )
        let topicOperations = AuthorizedOperations.field(on: .topic, requested: request.includeTopicAuthorizedOperations)
        let requested = request.topics ?? []
        // v0 asks for every topic with an empty list; v1+ with null.
        if request.topics == nil || (context.apiVersion == 0 && requested.isEmpty) {
            response.topics = state.topics.allTopics().map { describe($0, authorizedOperations: topicOperations) }
            return response
        }
        // Before v4 the request has no flag and the broker setting alone decides (P13).
        let mayCreate = state.configuration.autoCreateTopics && (context.apiVersion < 4 || request.allowAutoTopicCreation)
        for requestedTopic in requested {
            guard let name = requestedTopic.name else {
                let topic = state.topics.topic(withId: requestedTopic.topicId)
                response.topics.append(
                    topic.map { describe($0, authorizedOperations: topicOperations) }
                        ?? .init(errorCode: ErrorCode.unknownTopicId.rawValue, name: nil, topicId: requestedTopic.topicId))
                continue
            }
            do throws(TopicError) {
                response.topics.append(
                    describe(try state.topics.topicCreatingIfAllowed(name, allowed: mayCreate), authorizedOperations: topicOperations))
            } catch {
                response.topics.append(.init(errorCode: error.code.rawValue, name: name, isInternal: false))
            }
        }
        return response
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
