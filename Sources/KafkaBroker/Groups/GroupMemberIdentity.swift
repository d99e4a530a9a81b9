/// One member named in a LeaveGroup request. v0-v2 name a single member by id; v3+ send a batch
/// (KIP-345), where an admin removes static members by `group.instance.id` with an empty member id.
public struct GroupMemberIdentity: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?

    public init(memberId: String, groupInstanceId: String? = nil) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }
}
