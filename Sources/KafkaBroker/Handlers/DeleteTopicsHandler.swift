import KafkaProtocol

/// DeleteTopics 0–6: by name, or (v6) by topic id. With an authorizer a topic needs DELETE
/// (TOPIC_AUTHORIZATION_FAILED).
struct DeleteTopicsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...6

    func handle(_ request: DeleteTopicsRequest, context: RequestContext) async throws -> DeleteTopicsResponse? {
        var targets: [(name: String?, id: KafkaUUID)] = request.topicNames.map { ($0, .zero) }
        targets += request.topics.map { ($0.name, $0.topicId) }
        var response = DeleteTopicsResponse()
        for target in targets {
            var result = DeleteTopicsResponse.DeletableTopicResult(name: target.name, topicId: target.id, errorMessage: nil)
            let name = target.name ?? state.topics.topic(withId: target.id)?.name
            do throws(TopicError) {
                guard let name else { throw TopicError(.unknownTopicId, "This server does not host this topic ID.") }
                result.name = name
                guard state.authorize(context, .delete, .topic, name) else {
                    throw TopicError(.topicAuthorizationFailed, AuthorizationMessage.topic)
                }
                result.topicId = state.topics.topic(named: name)?.id ?? target.id
                try state.topics.delete(name: name)
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
            }
            response.responses.append(result)
        }
        return response
    }
}
