/// A group as ListGroups names it (kafka-python's `list_consumer_groups` entries).
public struct KafkaConsumerGroupListing: Hashable, Sendable {
    /// The group's name.
    public var groupId: String
    /// "consumer" for consumer groups.
    public var protocolType: String
    /// "Stable", "Empty", …; empty when the broker answers ListGroups below v4.
    public var state: String
}
