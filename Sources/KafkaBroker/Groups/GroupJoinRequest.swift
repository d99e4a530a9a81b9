/// What the coordinator needs from a JoinGroup request, plus who sent it. Field names follow
/// `JoinGroupRequest` so the handler copies them across one by one.
public struct GroupJoinRequest: Sendable, Equatable {
    /// Empty on a member's first join; the id the coordinator handed out on later joins.
    public var memberId: String
    /// `group.instance.id` of a static member (KIP-345, JoinGroup v5+); nil for dynamic members.
    public var groupInstanceId: String?
    /// "consumer" for consumers; every member of a group must send the same type.
    public var protocolType: String
    /// The protocols the member supports, in order of preference.
    public var protocols: [GroupProtocol]
    public var sessionTimeoutMs: Int32
    /// JoinGroup v0 has no rebalance timeout; pass the session timeout then, as Kafka does.
    public var rebalanceTimeoutMs: Int32
    /// The request header's client id.
    public var clientId: String
    /// The address the request came from, shown by DescribeGroups.
    public var clientHost: String
    /// The JoinGroup version: v4+ clients get MEMBER_ID_REQUIRED on their first join (KIP-394), v9+
    /// static leaders may be told to skip the assignment (KIP-814).
    public var apiVersion: Int16

    public init(
        memberId: String = "",
        groupInstanceId: String? = nil,
        protocolType: String,
        protocols: [GroupProtocol],
        sessionTimeoutMs: Int32,
        rebalanceTimeoutMs: Int32,
        clientId: String,
        clientHost: String,
        apiVersion: Int16
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.clientId = clientId
        self.clientHost = clientHost
        self.apiVersion = apiVersion
    }
}
