import KafkaProtocol

/// What the client knows about the cluster from Metadata responses: brokers, the controller, and
/// per topic its partitions with their leaders.
struct ClusterMetadata: Sendable {
    struct Partition: Hashable, Sendable {
        var id: Int32
        /// -1 while no leader is known (LEADER_NOT_AVAILABLE, an election).
        var leader: Int32
        var leaderEpoch: Int32
        var replicas: [Int32]
        var inSyncReplicas: [Int32]
        var error: ErrorCode
    }

    struct Topic: Hashable, Sendable {
        var name: String
        /// `.zero` from brokers that answer Metadata below v10.
        var id: KafkaUUID
        var error: ErrorCode
        var isInternal: Bool
        /// Sorted by partition id.
        var partitions: [Partition]

        /// Partitions with a leader, the candidates for an unkeyed record.
        var availablePartitions: [Partition] { partitions.filter { $0.leader >= 0 } }
    }

    private(set) var brokers: [Int32: BrokerAddress] = [:]
    private(set) var controllerId: Int32?
    private(set) var clusterId: String?
    private(set) var topics: [String: Topic] = [:]

    /// Applies a Metadata response. `requestedTopics` nil means the response lists every topic, so
    /// topics it does not name are gone; otherwise only the named topics are replaced.
    mutating func update(with response: MetadataResponse, requestedTopics: [String]?) {
        var brokers: [Int32: BrokerAddress] = [:]
        for broker in response.brokers {
            brokers[broker.nodeId] = BrokerAddress(host: broker.host, port: Int(broker.port))
        }
        self.brokers = brokers
        controllerId = response.controllerId >= 0 ? response.controllerId : nil
        clusterId = response.clusterId
        if requestedTopics == nil { topics = [:] }
        for topic in response.topics {
            guard let name = topic.name else { continue }
            let partitions = topic.partitions.map { partition in
                Partition(
                    id: partition.partitionIndex, leader: partition.leaderId, leaderEpoch: partition.leaderEpoch,
                    replicas: partition.replicaNodes, inSyncReplicas: partition.isrNodes,
                    error: ErrorCode(rawValue: partition.errorCode))
            }
            topics[name] = Topic(
                name: name, id: topic.topicId, error: ErrorCode(rawValue: topic.errorCode), isInternal: topic.isInternal,
                partitions: partitions.sorted { $0.id < $1.id })
        }
    }

    /// Forgets a topic so that the next lookup asks the broker again (after NOT_LEADER_OR_FOLLOWER
    /// or UNKNOWN_TOPIC_OR_PARTITION).
    mutating func invalidate(topic: String) {
        topics[topic] = nil
    }

    func leader(of topicPartition: TopicPartition) -> Int32? {
        guard let partition = topics[topicPartition.topic]?.partitions.first(where: { $0.id == topicPartition.partition }),
            partition.leader >= 0
        else { return nil }
        return partition.leader
    }
}
