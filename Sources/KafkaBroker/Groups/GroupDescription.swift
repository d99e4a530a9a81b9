/// A group as DescribeGroups reports it.
public struct GroupDescription: Sendable, Equatable {
    public var groupId: String
    public var state: GroupState
    /// Empty when the group never had a member.
    public var protocolType: String
    /// The chosen protocol while Stable, else empty: Kafka only reports it (and the members' metadata
    /// and assignments) once a generation's assignment is known.
    public var protocolName: String
    public var members: [GroupMemberDescription]

    public init(
        groupId: String, state: GroupState, protocolType: String, protocolName: String,
        members: [GroupMemberDescription]
    ) {
        self.groupId = groupId
        self.state = state
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.members = members
    }

    /// What Kafka answers for a group it does not know: Dead, with nothing else.
    public static func dead(groupId: String) -> GroupDescription {
        GroupDescription(groupId: groupId, state: .dead, protocolType: "", protocolName: "", members: [])
    }
}
