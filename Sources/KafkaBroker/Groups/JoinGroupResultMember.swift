import NIOCore

/// One member as the leader sees it in its JoinGroup response: the input to the assignor.
public struct JoinGroupResultMember: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    /// The member's metadata for the group's chosen protocol.
    public var metadata: ByteBuffer

    public init(memberId: String, groupInstanceId: String? = nil, metadata: ByteBuffer) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.metadata = metadata
    }
}
