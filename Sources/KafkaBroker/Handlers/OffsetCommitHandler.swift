import KafkaProtocol
import KafkaStorage
import Logging

/// OffsetCommit 2–9 (v9, for KIP-848 consumers, carries a member epoch where a classic group has its generation): validated against the group's generation and member, then written to
/// `__consumer_offsets` and fsync'd before the answer. With an authorizer the group needs READ
/// (else GROUP_AUTHORIZATION_FAILED) and each topic READ (else TOPIC_AUTHORIZATION_FAILED).
struct OffsetCommitHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 2...9

    /// Kafka's `offset.metadata.max.bytes`.
    static let maximumMetadataBytes = 4096

    func handle(_ request: OffsetCommitRequest, context: RequestContext) async throws -> OffsetCommitResponse? {
        let groupError =
            state.authorize(context, .read, .group, request.groupId)
            ? coordinator.validateOffsetCommit(
                groupId: request.groupId, memberId: request.memberId, generationId: request.generationIdOrMemberEpoch,
                groupInstanceId: request.groupInstanceId) : .groupAuthorizationFailed
        var topicsAllowed = AuthorizationCache { state.authorize(context, .read, .topic, $0) }
        let now = WallClock.milliseconds()
        var errors: [TopicPartition: ErrorCode] = [:]
        var commits: [(TopicPartition, CommittedOffset)] = []
        for topic in request.topics {
            for partition in topic.partitions {
                let topicPartition = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                let metadata = partition.committedMetadata ?? ""
                if groupError != .noError {
                    errors[topicPartition] = groupError
                } else if !topicsAllowed(topic.name) {
                    errors[topicPartition] = .topicAuthorizationFailed
                } else if state.topics.log(topic.name, partition.partitionIndex) == nil {
                    errors[topicPartition] = .unknownTopicOrPartition
                } else if metadata.utf8.count > Self.maximumMetadataBytes {
                    errors[topicPartition] = .offsetMetadataTooLarge
                } else {
                    commits.append(
                        (
                            topicPartition,
                            CommittedOffset(
                                offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch, metadata: metadata,
                                commitTimestampMs: now)
                        ))
                }
            }
        }
        do {
            try await coordinator.offsets.commit(group: request.groupId, commits)
        } catch {
            state.logger.error("Committing offsets of group \(request.groupId) failed: \(error)")
            for (partition, _) in commits { errors[partition] = .kafkaStorageError }
        }
        return OffsetCommitResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { partition in
                        let code = errors[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] ?? .noError
                        return .init(partitionIndex: partition.partitionIndex, errorCode: code.rawValue)
                    })
            })
    }
}
