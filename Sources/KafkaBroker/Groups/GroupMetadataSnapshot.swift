/// A group as Kafka writes it to `__consumer_offsets` (the GroupMetadataValue record): enough to let
/// members of a Stable group keep heartbeating and committing after a broker restart.
public struct GroupMetadataSnapshot: Sendable, Equatable {
    public var groupId: String
    public var protocolType: String?
    public var generationId: Int32
    public var protocolName: String?
    public var leaderId: String?
    public var members: [GroupMemberSnapshot]

    public init(
        groupId: String,
        protocolType: String?,
        generationId: Int32,
        protocolName: String?,
        leaderId: String?,
        members: [GroupMemberSnapshot]
    ) {
        self.groupId = groupId
        self.protocolType = protocolType
        self.generationId = generationId
        self.protocolName = protocolName
        self.leaderId = leaderId
        self.members = members
    }
}
