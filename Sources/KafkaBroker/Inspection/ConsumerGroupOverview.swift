/// A consumer group: what DescribeGroups tells about it, and its committed offsets with their lag.
public struct ConsumerGroupOverview: Sendable, Equatable {
    public var description: GroupDescription
    /// Ordered by topic and partition.
    public var offsets: [GroupPartitionLag]

    public init(description: GroupDescription, offsets: [GroupPartitionLag]) {
        self.description = description
        self.offsets = offsets
    }

    public var groupId: String { description.groupId }

    public var members: [GroupMemberDescription] { description.members }

    /// The lag summed over the partitions that still exist.
    public var totalLag: Int64 { offsets.reduce(0) { $0 + ($1.lag ?? 0) } }
}
