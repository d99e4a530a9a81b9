import KafkaProtocol

extension KafkaAdminClient {
    /// Each partition's offset for its spec (ListOffsets at each partition's leader), as Java's
    /// `Admin.listOffsets`: log end offsets for consumer lag, earliest offsets for resets. A
    /// partition with no record at or after a timestamp gets -1.
    public func listOffsets(
        _ specs: [TopicPartition: KafkaOffsetSpec], isolationLevel: KafkaIsolationLevel = .readUncommitted
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        let (partitionsByLeader, failures) = try await partitionsByLeader(specs.keys, operation: "list offsets of")
        if let failure = failures.sorted(by: { $0.key < $1.key }).first { throw failure.value }
        var offsets: [TopicPartition: Int64] = [:]
        for (leader, partitions) in partitionsByLeader {
            let request = ListOffsetsRequest(
                replicaId: -1, isolationLevel: isolationLevel.rawValue,
                topics: Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
                    .init(
                        name: topic,
                        partitions: partitions.sorted().map { .init(partitionIndex: $0.partition, timestamp: specs[$0]!.timestamp) })
                })
            let response = try await cluster.connection(toNode: leader).send(request)
            for topic in response.topics {
                for partition in topic.partitions {
                    let topicPartition = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    if let error = KafkaError.broker(code: partition.errorCode, "list offsets of \(topicPartition)") { throw error }
                    offsets[topicPartition] = partition.offset
                }
            }
        }
        return offsets
    }

    /// Sets a group's committed offsets (OffsetCommit at its coordinator, outside any generation),
    /// as `kafka-consumer-groups.sh --reset-offsets --execute` does. The broker refuses a group
    /// with active members (UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION).
    public func alterConsumerGroupOffsets(_ groupId: String, offsets: [TopicPartition: OffsetAndMetadata]) async throws(KafkaError) {
        let request = OffsetCommitRequest(
            groupId: groupId, generationIdOrMemberEpoch: -1, memberId: "", groupInstanceId: nil,
            topics: Dictionary(grouping: offsets.keys, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
                .init(
                    name: topic,
                    partitions: partitions.sorted().map { topicPartition in
                        let committed = offsets[topicPartition]!
                        return .init(
                            partitionIndex: topicPartition.partition, committedOffset: committed.offset,
                            committedLeaderEpoch: committed.leaderEpoch, committedMetadata: committed.metadata)
                    })
            })
        let response = try await coordinator(of: groupId).send(request)
        for topic in response.topics {
            for partition in topic.partitions {
                let topicPartition = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                if let error = KafkaError.broker(code: partition.errorCode, "commit offset of \(topicPartition) for group \(groupId)") {
                    throw error
                }
            }
        }
    }

    /// The partitions grouped by their leader (ordered by leader id), and those that cannot be
    /// sent anywhere with why: an unknown topic or partition, or no leader.
    func partitionsByLeader(
        _ partitions: some Collection<TopicPartition>, operation: String
    ) async throws(KafkaError) -> (byLeader: [(Int32, [TopicPartition])], failures: [TopicPartition: KafkaError]) {
        let metadata = try await cluster.refreshMetadata(topics: Set(partitions.map(\.topic)).sorted())
        var byLeader: [Int32: [TopicPartition]] = [:]
        var failures: [TopicPartition: KafkaError] = [:]
        for topicPartition in partitions {
            let topicError = metadata.topics[topicPartition.topic]?.error ?? .unknownTopicOrPartition
            if let error = KafkaError.broker(topicError, "\(operation) \(topicPartition)") {
                failures[topicPartition] = error
            } else if let partition = metadata.topics[topicPartition.topic]?.partitions.first(where: { $0.id == topicPartition.partition })
            {
                if partition.leader >= 0 {
                    byLeader[partition.leader, default: []].append(topicPartition)
                } else {
                    failures[topicPartition] = KafkaError.broker(.leaderNotAvailable, "\(operation) \(topicPartition)")
                }
            } else {
                failures[topicPartition] = KafkaError.broker(.unknownTopicOrPartition, "\(operation) \(topicPartition)")
            }
        }
        return (byLeader.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted()) }, failures)
    }
}
