import NIOCore

/// One member in a `GroupMetadataSnapshot` (Kafka's MemberMetadata record).
public struct GroupMemberSnapshot: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    public var rebalanceTimeoutMs: Int32
    public var sessionTimeoutMs: Int32
    /// The member's metadata for the group's chosen protocol; the others are not kept, as in Kafka.
    public var subscription: ByteBuffer
    public var assignment: ByteBuffer

    public init(
        memberId: String,
        groupInstanceId: String?,
        clientId: String,
        clientHost: String,
        rebalanceTimeoutMs: Int32,
        sessionTimeoutMs: Int32,
        subscription: ByteBuffer,
        assignment: ByteBuffer
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.sessionTimeoutMs = sessionTimeoutMs
        self.subscription = subscription
        self.assignment = assignment
    }
}
