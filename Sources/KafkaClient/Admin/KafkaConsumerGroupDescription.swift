/// A group as DescribeGroups reports it (kafka-python's `describe_consumer_groups` entries).
public struct KafkaConsumerGroupDescription: Hashable, Sendable {
    /// One member of the group.
    public struct Member: Hashable, Sendable {
        /// The id the coordinator gave the member.
        public var memberId: String
        /// The member's `group_instance_id`, for a static member.
        public var groupInstanceId: String?
        /// The `client_id` the member's client sent.
        public var clientId: String
        /// Where the member connected from, as `/address`.
        public var clientHost: String
        /// The partitions the leader assigned the member (decoded for the "consumer" protocol type).
        public var assignment: [TopicPartition]
    }

    /// The group's name.
    public var groupId: String
    /// "Stable", "Empty", "PreparingRebalance", "CompletingRebalance" or "Dead".
    public var state: String
    /// "consumer" for consumer groups, empty for a group without members.
    public var protocolType: String
    /// The protocol (assignor) the group chose: "range", "roundrobin".
    public var assignor: String
    /// The members of the current generation; empty unless the group is active.
    public var members: [Member]
    /// The node id of the broker coordinating the group (-1 if Metadata does not list it).
    public var coordinatorId: Int32
    /// Where the coordinator was reached.
    public var coordinator: BrokerAddress
}
