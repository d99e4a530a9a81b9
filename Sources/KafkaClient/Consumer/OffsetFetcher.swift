import KafkaProtocol

/// OffsetFetch against a group coordinator, shared by the admin client and the consumer.
enum OffsetFetcher {
    /// The committed offsets of `groupId`; partitions without a commit are left out.
    /// `partitions` nil asks for everything the group committed (OffsetFetch v2+).
    static func fetch(
        groupId: String, partitions: [TopicPartition]?, requireStable: Bool = false, from connection: BrokerConnection
    ) async throws(KafkaError) -> [TopicPartition: OffsetAndMetadata] {
        let topics = partitions.map { partitions in
            Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map {
                OffsetFetchRequest.OffsetFetchRequestTopic(name: $0.key, partitionIndexes: $0.value.map(\.partition).sorted())
            }
        }
        let request = OffsetFetchRequest(groupId: groupId, topics: topics, requireStable: requireStable)
        let response = try await connection.send(request)
        if let error = KafkaError.broker(code: response.errorCode, "fetch offsets of group \(groupId)") { throw error }
        var offsets: [TopicPartition: OffsetAndMetadata] = [:]
        for topic in response.topics {
            for partition in topic.partitions {
                let topicPartition = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                if let error = KafkaError.broker(code: partition.errorCode, "fetch offset of \(topicPartition) for group \(groupId)") {
                    throw error
                }
                guard partition.committedOffset >= 0 else { continue }
                offsets[topicPartition] = OffsetAndMetadata(
                    offset: partition.committedOffset, metadata: partition.metadata ?? "", leaderEpoch: partition.committedLeaderEpoch)
            }
        }
        return offsets
    }
}
