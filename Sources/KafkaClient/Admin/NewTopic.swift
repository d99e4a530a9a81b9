/// A topic to create, kafka-python's `NewTopic(name, num_partitions, replication_factor,
/// replica_assignments, topic_configs)`. -1 for partitions or replication factor means the
/// broker's default (`num.partitions`, `default.replication.factor`; CreateTopics v4+).
public struct NewTopic: Hashable, Sendable {
    /// The topic's name: up to 249 characters of ASCII letters, digits, `.`, `_` and `-`.
    public var name: String
    /// How many partitions; -1 for the broker's `num.partitions`.
    public var numPartitions: Int32
    /// How many replicas of each partition; -1 for the broker's `default.replication.factor`.
    public var replicationFactor: Int16
    /// Partition id to broker ids; when set, `numPartitions` and `replicationFactor` must be -1.
    public var replicaAssignments: [Int32: [Int32]]
    /// Topic-level settings such as `retention.ms` or `cleanup.policy`.
    public var topicConfigs: [String: String]

    public init(
        name: String, numPartitions: Int32 = -1, replicationFactor: Int16 = -1, replicaAssignments: [Int32: [Int32]] = [:],
        topicConfigs: [String: String] = [:]
    ) {
        self.name = name
        self.numPartitions = numPartitions
        self.replicationFactor = replicationFactor
        self.replicaAssignments = replicaAssignments
        self.topicConfigs = topicConfigs
    }
}
