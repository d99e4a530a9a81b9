import KafkaProtocol

extension KafkaAdminClient {
    /// Each partition's offset for its spec (ListOffsets at each partition's leader), as Java's
    /// `Admin.listOffsets`: log end offsets for consumer lag, earliest offsets for resets. A
    /// partition with no record at or after a timestamp gets -1.
    public func listOffsets(
        _ specs: [TopicPartition: KafkaOffsetSpec], isolationLevel: KafkaIsolationLevel = .readUncommitted
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        let metadata = try await cluster.refreshMetadata(topics: Set(specs.keys.map(\.topic)).sorted())
        var partitionsByLeader: [Int32: [TopicPartition]] = [:]
        for topicPartition in specs.keys {
            let topicError = metadata.topics[topicPartition.topic]?.error ?? .unknownTopicOrPartition
            if let error = KafkaError.broker(topicError, "list offsets of \(topicPartition)") { throw error }
            guard metadata.topics[topicPartition.topic]?.partitions.contains(where: { $0.id == topicPartition.partition }) == true else {
                throw KafkaError.broker(.unknownTopicOrPartition, "list offsets of \(topicPartition)")!
            }
            guard let leader = metadata.leader(of: topicPartition) else {
                throw KafkaError.broker(.leaderNotAvailable, "list offsets of \(topicPartition)")!
            }
            partitionsByLeader[leader, default: []].append(topicPartition)
        }
        var offsets: [TopicPartition: Int64] = [:]
        for (leader, partitions) in partitionsByLeader.sorted(by: { $0.key < $1.key }) {
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
}
