/// A group as DescribeGroups reports it (kafka-python's `describe_consumer_groups` entries).
public struct KafkaConsumerGroupDescription: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        /// The partitions the leader assigned the member (decoded for the "consumer" protocol type).
        public var assignment: [TopicPartition]
    }

    public var groupId: String
    /// "Stable", "Empty", "PreparingRebalance", "CompletingRebalance" or "Dead".
    public var state: String
    public var protocolType: String
    /// The protocol (assignor) the group chose: "range", "roundrobin".
    public var assignor: String
    public var members: [Member]
    /// The node id of the broker coordinating the group (-1 if Metadata does not list it).
    public var coordinatorId: Int32
    /// Where the coordinator was reached.
    public var coordinator: BrokerAddress
}
