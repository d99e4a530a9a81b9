import NIOCore

/// A member of a classic group and what the coordinator tracks about it (Kafka's MemberMetadata).
struct GroupMember: Sendable {
    var memberId: String
    let groupInstanceId: String?
    let clientId: String
    let clientHost: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    let protocolType: String
    /// In the member's order of preference.
    var protocols: [GroupProtocol]
    var assignment: ByteBuffer
    /// The member's JoinGroup request parked until the join phase completes.
    var awaitingJoin: GroupRequestID?
    /// The member's SyncGroup request parked until the leader's assignment arrives.
    var awaitingSync: GroupRequestID?
    /// True from a member's first JoinGroup until that join phase completes. Such a member has no
    /// session yet: its deadline is the new-member join timeout, and it expires even while its join
    /// is parked, so a client that gave up on the request (and retries with a new one) does not hold
    /// the rebalance up with a phantom member.
    var isNew: Bool
    /// Past this point the member is removed unless it waits in a join or sync.
    var sessionDeadline: NIODeadline

    var isStatic: Bool { groupInstanceId != nil }

    /// Kafka's `hasSatisfiedHeartbeat`: a member waiting for the coordinator (a parked join or sync)
    /// cannot heartbeat meanwhile, so its session does not run out, unless it is new.
    var isWaitingOnCoordinator: Bool { !isNew && (awaitingJoin != nil || awaitingSync != nil) }

    func hasExpired(at now: NIODeadline) -> Bool {
        !isWaitingOnCoordinator && now >= sessionDeadline
    }

    func supports(_ protocolName: String) -> Bool {
        protocols.contains { $0.name == protocolName }
    }

    func metadata(for protocolName: String) -> ByteBuffer {
        protocols.first { $0.name == protocolName }?.metadata ?? ByteBuffer()
    }

    /// Whether a rejoin carries exactly the protocols and metadata already known, in the same order:
    /// then it need not start a rebalance.
    func matches(_ protocols: [GroupProtocol]) -> Bool {
        self.protocols == protocols
    }

    /// The member's most preferred protocol among those every member supports.
    func vote(among candidates: Set<String>) -> String? {
        protocols.first { candidates.contains($0.name) }?.name
    }
}
