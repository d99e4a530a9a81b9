import KafkaProtocol

/// The answer to one JoinGroup request; the handler encodes it as a `JoinGroupResponse` of the
/// request's version.
public struct JoinGroupResult: Sendable, Equatable {
    public var error: ErrorCode
    public var generationId: Int32
    public var protocolType: String?
    /// Nil on errors; JoinGroup v0-v6 encode that as an empty string.
    public var protocolName: String?
    /// Empty when there is no leader (errors).
    public var leaderId: String
    /// JoinGroup v9+: tells a rejoining static leader not to run the assignor (KIP-814).
    public var skipAssignment: Bool
    /// The member's id: the one it sent, a newly generated one, or empty after UNKNOWN_MEMBER_ID.
    public var memberId: String
    /// Every member with its metadata for the chosen protocol, for the leader only.
    public var members: [JoinGroupResultMember]

    public init(
        error: ErrorCode = .noError,
        generationId: Int32,
        protocolType: String?,
        protocolName: String?,
        leaderId: String,
        skipAssignment: Bool = false,
        memberId: String,
        members: [JoinGroupResultMember] = []
    ) {
        self.error = error
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leaderId = leaderId
        self.skipAssignment = skipAssignment
        self.memberId = memberId
        self.members = members
    }

    /// A failed join as Kafka answers it: no generation (-1), no protocol, no leader.
    public static func failure(_ error: ErrorCode, memberId: String) -> JoinGroupResult {
        JoinGroupResult(
            error: error, generationId: -1, protocolType: nil, protocolName: nil, leaderId: "", memberId: memberId)
    }
}
