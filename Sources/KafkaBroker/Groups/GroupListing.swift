/// A group as ListGroups reports it.
public struct GroupListing: Sendable, Equatable {
    public var groupId: String
    /// Empty for groups that only hold committed offsets.
    public var protocolType: String
    public var state: GroupState

    public init(groupId: String, protocolType: String, state: GroupState) {
        self.groupId = groupId
        self.protocolType = protocolType
        self.state = state
    }
}
