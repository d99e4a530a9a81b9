import NIOCore

/// One member as DescribeGroups reports it.
public struct GroupMemberDescription: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    /// The member's metadata for the chosen protocol; empty unless the group is Stable.
    public var metadata: ByteBuffer
    /// Empty unless the group is Stable.
    public var assignment: ByteBuffer

    public init(
        memberId: String, groupInstanceId: String? = nil, clientId: String, clientHost: String,
        metadata: ByteBuffer, assignment: ByteBuffer
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.metadata = metadata
        self.assignment = assignment
    }
}
