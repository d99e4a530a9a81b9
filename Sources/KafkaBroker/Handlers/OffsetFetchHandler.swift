import KafkaProtocol
import KafkaStorage

/// OffsetFetch 1–9 (v9 adds the KIP-848 member id and epoch, which classic groups do not check): one group before v8, a batch of groups (the `groups` array) from v8. A null
/// topic list (v2+) means every partition the group committed; a partition without a commit gets
/// offset -1. With an authorizer the group needs READ (else GROUP_AUTHORIZATION_FAILED) and each
/// topic DESCRIBE (else TOPIC_AUTHORIZATION_FAILED, or left out of a null list), as in Kafka. With
/// `require_stable` (v7+), a partition an open transaction committed an offset for gets
/// UNSTABLE_OFFSET_COMMIT, so the consumer retries once the transaction ends.
struct OffsetFetchHandler: ApiHandler {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 1...9

    private struct Requested {
        var name: String
        var partitions: [Int32]
    }

    private struct Fetched {
        var name: String
        var partitions: [(partition: Int32, committed: CommittedOffset?, error: ErrorCode)]
    }

    func handle(_ request: OffsetFetchRequest, context: RequestContext) async throws -> OffsetFetchResponse? {
        if context.apiVersion >= 8 {
            return OffsetFetchResponse(
                groups: request.groups.map { group in
                    let groupError = groupRefusal(group.groupId, context: context)
                    let topics = fetch(
                        group: group.groupId, topics: group.topics?.map { Requested(name: $0.name, partitions: $0.partitionIndexes) },
                        groupError: groupError, requireStable: request.requireStable, context: context)
                    return .init(
                        groupId: group.groupId,
                        topics: topics.map { topic in
                            .init(
                                name: topic.name,
                                partitions: topic.partitions.map {
                                    .init(
                                        partitionIndex: $0.partition, committedOffset: $0.committed?.offset ?? -1,
                                        committedLeaderEpoch: $0.committed?.leaderEpoch ?? -1, metadata: $0.committed?.metadata ?? "",
                                        errorCode: $0.error.rawValue)
                                })
                        },
                        errorCode: groupError.rawValue)
                })
        }
        let groupError = groupRefusal(request.groupId, context: context)
        let topics = fetch(
            group: request.groupId, topics: request.topics?.map { Requested(name: $0.name, partitions: $0.partitionIndexes) },
            groupError: groupError, requireStable: request.requireStable, context: context)
        return OffsetFetchResponse(
            topics: topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map {
                        .init(
                            partitionIndex: $0.partition, committedOffset: $0.committed?.offset ?? -1,
                            committedLeaderEpoch: $0.committed?.leaderEpoch ?? -1, metadata: $0.committed?.metadata ?? "",
                            errorCode: $0.error.rawValue)
                    })
            },
            errorCode: groupError.rawValue)
    }

    private func groupRefusal(_ group: String, context: RequestContext) -> ErrorCode {
        state.authorize(context, .read, .group, group) ? .noError : .groupAuthorizationFailed
    }

    /// v1 has no group error field, so a refused group's error is also each requested partition's.
    private func fetch(
        group: String, topics: [Requested]?, groupError: ErrorCode, requireStable: Bool, context: RequestContext
    ) -> [Fetched] {
        if groupError != .noError {
            return (topics ?? []).map { Fetched(name: $0.name, partitions: $0.partitions.map { ($0, nil, groupError) }) }
        }
        let committed = coordinator.offsets.committedOffsets(group: group)
        let requested =
            topics
            ?? Dictionary(grouping: committed.keys, by: \.topic)
            .filter { state.isAllowed(context, .describe, .topic, $0.key) }
            .map { Requested(name: $0.key, partitions: $0.value.map(\.partition).sorted()) }
            .sorted { $0.name < $1.name }
        return requested.map { topic in
            guard state.authorize(context, .describe, .topic, topic.name) else {
                return Fetched(name: topic.name, partitions: topic.partitions.map { ($0, nil, .topicAuthorizationFailed) })
            }
            return Fetched(
                name: topic.name,
                partitions: topic.partitions.map { partition in
                    let topicPartition = TopicPartition(topic: topic.name, partition: partition)
                    if requireStable && coordinator.offsets.hasPendingTransactionalOffset(group: group, partition: topicPartition) {
                        return (partition, nil, .unstableOffsetCommit)
                    }
                    return (partition, committed[topicPartition], .noError)
                })
        }
    }
}
