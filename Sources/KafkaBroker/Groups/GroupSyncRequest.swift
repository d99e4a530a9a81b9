import NIOCore

/// What the coordinator needs from a SyncGroup request. Field names follow `SyncGroupRequest`.
public struct GroupSyncRequest: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    public var generationId: Int32
    /// Sent from SyncGroup v5 on; checked against the group's when present.
    public var protocolType: String?
    /// Sent from SyncGroup v5 on; checked against the group's when present.
    public var protocolName: String?
    /// The leader's assignment by member id; empty for followers. Members the leader left out get an
    /// empty assignment, as in Kafka.
    public var assignments: [String: ByteBuffer]

    public init(
        memberId: String,
        groupInstanceId: String? = nil,
        generationId: Int32,
        protocolType: String? = nil,
        protocolName: String? = nil,
        assignments: [String: ByteBuffer] = [:]
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }
}
