import KafkaProtocol

/// CreatePartitions 0–3: grows a topic to the requested partition count. With an authorizer a
/// topic needs ALTER (TOPIC_AUTHORIZATION_FAILED).
struct CreatePartitionsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...3

    func handle(_ request: CreatePartitionsRequest, context: RequestContext) async throws -> CreatePartitionsResponse? {
        var response = CreatePartitionsResponse()
        for topic in request.topics {
            var result = CreatePartitionsResponse.CreatePartitionsTopicResult(name: topic.name, errorMessage: nil)
            do throws(TopicError) {
                guard state.authorize(context, .alter, .topic, topic.name) else {
                    throw TopicError(.topicAuthorizationFailed, AuthorizationMessage.topic)
                }
                if let assignments = topic.assignments,
                    assignments.contains(where: { $0.brokerIds.contains { $0 != state.configuration.nodeId } })
                {
                    throw TopicError(.invalidReplicaAssignment, "The manual partition assignment includes a broker that is not registered.")
                }
                if request.validateOnly {
                    guard let existing = state.topics.topic(named: topic.name) else {
                        throw TopicError(.unknownTopicOrPartition, "The topic '\(topic.name)' does not exist.")
                    }
                    if topic.count <= Int32(existing.partitions.count) {
                        throw TopicError(
                            .invalidPartitions,
                            "Topic currently has \(existing.partitions.count) partitions, which is higher than the requested \(topic.count)."
                        )
                    }
                } else {
                    try state.topics.addPartitions(name: topic.name, totalCount: topic.count)
                }
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
            }
            response.results.append(result)
        }
        return response
    }
}
