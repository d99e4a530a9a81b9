import NIOCore

/// One classic consumer group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup), modelled on Kafka's
/// GroupCoordinator and GroupMetadata: Empty → PreparingRebalance → CompletingRebalance → Stable,
/// and Dead once deleted.
///
/// A pure value: each event is a `mutating func` taking the current time and returning the
/// `GroupAction`s the runtime must run. Parked requests are remembered by their `GroupRequestID`
/// and answered by whichever later event completes them. Timers live in the runtime; the machine
/// keeps its own deadlines, so a timer that fires late or stale is harmless.
public struct GroupStateMachine: Sendable {
    /// How long a member's first JoinGroup may stay parked before the member is dropped (Kafka's
    /// `NewMemberJoinTimeoutMs`): a client whose request timed out rejoins with a new one, so a member
    /// that never rejoins must not hold up the rebalance forever.
    static let newMemberJoinTimeoutMs: Int32 = 5 * 60 * 1000

    public let groupId: String
    public internal(set) var state: GroupState
    public internal(set) var generationId: Int32
    /// Set by the first member to join; kept while the group is Empty, as Kafka does.
    public internal(set) var protocolType: String?
    /// The protocol chosen for the current generation; nil while Empty.
    public internal(set) var protocolName: String?
    public internal(set) var leaderId: String?

    let configuration: GroupCoordinatorConfiguration
    var members: [String: GroupMember] = [:]
    /// Member ids in the order the members joined: it decides who leads after the leader leaves and
    /// the order of the leader's member list, so it must not depend on hashing.
    var memberOrder: [String] = []
    /// Ids handed out with MEMBER_ID_REQUIRED and the deadline by which their owners must rejoin.
    /// While any is outstanding, a join phase waits for it (Kafka's `hasAllMembersJoined`).
    var pendingMembers: [String: NIODeadline] = [:]
    /// Members that got their join response for this generation and have not sent SyncGroup yet.
    var pendingSyncMembers: Set<String> = []
    /// Whether a member joined during the initial rebalance delay, which then extends the delay.
    var newMemberAdded = false
    var rebalanceTimer: RebalanceTimer?
    /// The deadline of the rebalance timer the runtime currently holds.
    var armedRebalanceDeadline: NIODeadline?
    /// The deadline of the session timer the runtime holds for each member or pending member id.
    var armedSessionTimers: [String: NIODeadline] = [:]
    /// Ids whose session timer may need scheduling or cancelling at the end of the current event.
    var sessionTimersToReconcile: [String] = []

    public init(groupId: String, configuration: GroupCoordinatorConfiguration = GroupCoordinatorConfiguration()) {
        self.groupId = groupId
        self.configuration = configuration
        self.state = .empty
        self.generationId = 0
    }

    /// The members' ids, in the order they joined.
    public var memberIds: [String] { memberOrder }

    /// The members, in the order they joined.
    var orderedMembers: [GroupMember] { memberOrder.compactMap { members[$0] } }

    /// The largest rebalance timeout of any member: how long a join phase waits for rejoins.
    var rebalanceTimeoutMs: Int32 { members.values.map(\.rebalanceTimeoutMs).max() ?? 0 }

    /// A group that a refused first join created and that holds nothing worth keeping.
    var isUnused: Bool { state == .empty && members.isEmpty && pendingMembers.isEmpty }

    func staticMemberId(for groupInstanceId: String) -> String? {
        members.values.first { $0.groupInstanceId == groupInstanceId }?.memberId
    }
}
