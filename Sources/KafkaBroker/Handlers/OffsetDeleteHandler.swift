import KafkaProtocol
import KafkaStorage
import NIOCore

/// OffsetDelete 0: removes a group's committed offsets for some partitions, refused
/// (GROUP_SUBSCRIBED_TO_TOPIC) for topics that members of the group subscribe to.
struct OffsetDeleteHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 0...0

    func handle(_ request: OffsetDeleteRequest, context: RequestContext) async throws -> OffsetDeleteResponse? {
        guard state.authorize(context, .delete, .group, request.groupId) else {
            return OffsetDeleteResponse(errorCode: ErrorCode.groupAuthorizationFailed.rawValue)
        }
        let description = coordinator.describe(request.groupId)
        let known = !coordinator.offsets.committedOffsets(group: request.groupId).isEmpty || description.state != .dead
        guard known else { return OffsetDeleteResponse(errorCode: ErrorCode.groupIdNotFound.rawValue) }
        let subscribed = Set(description.members.flatMap { Self.subscribedTopics($0.metadata) })
        var deletable: [TopicPartition] = []
        var response = OffsetDeleteResponse()
        for topic in request.topics {
            let error: ErrorCode =
                !state.authorize(context, .read, .topic, topic.name)
                ? .topicAuthorizationFailed : subscribed.contains(topic.name) ? .groupSubscribedToTopic : .noError
            if error == .noError {
                deletable += topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.partitionIndex) }
            }
            response.topics.append(
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: error.rawValue) }))
        }
        do {
            try await coordinator.offsets.deleteOffsets(group: request.groupId, partitions: deletable)
        } catch {
            return OffsetDeleteResponse(errorCode: ErrorCode.kafkaStorageError.rawValue)
        }
        return response
    }

    /// The topics of a consumer-protocol subscription (version, then an array of topic names).
    static func subscribedTopics(_ metadata: ByteBuffer) -> [String] {
        var buffer = metadata
        guard (try? buffer.readKafkaInteger(as: Int16.self)) != nil,
            let topics = try? buffer.readKafkaArray(compact: false, { try $0.readKafkaString(compact: false) })
        else { return [] }
        return topics
    }
}
