import KafkaProtocol
import KafkaStorage

/// OffsetFetch 1–8: one group before v8, a batch of groups (the `groups` array) from v8. A null
/// topic list (v2+) means every partition the group committed; a partition without a commit gets
/// offset -1. With `require_stable` (v7+), a partition an open transaction committed an offset
/// for gets UNSTABLE_OFFSET_COMMIT, so the consumer retries once the transaction ends.
struct OffsetFetchHandler: ApiHandler {
    let coordinator: GroupCoordinator
    let versions: ClosedRange<Int16> = 1...8

    private struct Requested {
        var name: String
        var partitions: [Int32]
    }

    func handle(_ request: OffsetFetchRequest, context: RequestContext) async throws -> OffsetFetchResponse? {
        if context.apiVersion >= 8 {
            return OffsetFetchResponse(
                groups: request.groups.map { group in
                    let topics = fetch(
                        group: group.groupId, topics: group.topics?.map { Requested(name: $0.name, partitions: $0.partitionIndexes) },
                        requireStable: request.requireStable)
                    return .init(
                        groupId: group.groupId,
                        topics: topics.map { topic in
                            .init(
                                name: topic.name,
                                partitions: topic.partitions.map {
                                    .init(
                                        partitionIndex: $0.partition, committedOffset: $0.committed?.offset ?? -1,
                                        committedLeaderEpoch: $0.committed?.leaderEpoch ?? -1, metadata: $0.committed?.metadata ?? "",
                                        errorCode: $0.errorCode.rawValue)
                                })
                        })
                })
        }
        let topics = fetch(
            group: request.groupId, topics: request.topics?.map { Requested(name: $0.name, partitions: $0.partitionIndexes) },
            requireStable: request.requireStable)
        return OffsetFetchResponse(
            topics: topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map {
                        .init(
                            partitionIndex: $0.partition, committedOffset: $0.committed?.offset ?? -1,
                            committedLeaderEpoch: $0.committed?.leaderEpoch ?? -1, metadata: $0.committed?.metadata ?? "",
                            errorCode: $0.errorCode.rawValue)
                    })
            })
    }

    private func fetch(group: String, topics: [Requested]?, requireStable: Bool) -> [(
        name: String, partitions: [(partition: Int32, committed: CommittedOffset?, errorCode: ErrorCode)]
    )] {
        let committed = coordinator.offsets.committedOffsets(group: group)
        let requested =
            topics
            ?? Dictionary(grouping: committed.keys, by: \.topic)
            .map { Requested(name: $0.key, partitions: $0.value.map(\.partition).sorted()) }
            .sorted { $0.name < $1.name }
        return requested.map { topic in
            (
                topic.name,
                topic.partitions.map { partition in
                    let topicPartition = TopicPartition(topic: topic.name, partition: partition)
                    if requireStable && coordinator.offsets.hasPendingTransactionalOffset(group: group, partition: topicPartition) {
                        return (partition, nil, .unstableOffsetCommit)
                    }
                    return (partition, committed[topicPartition], .noError)
                }
            )
        }
    }
}
