/// The phase of a classic consumer group, as Kafka's `GroupMetadata` names it.
///
/// The raw value is the name Kafka prints in DescribeGroups, ListGroups and kafka-consumer-groups.sh,
/// so clients and tools that match on it see the same strings.
public enum GroupState: String, Sendable, Hashable, CaseIterable {
    /// No members. The group lingers for its committed offsets, for example those of `assign()`
    /// consumers that commit with generation -1.
    case empty = "Empty"
    /// A rebalance has started: JoinGroup requests are parked until every known member has rejoined
    /// or the rebalance timeout fires; heartbeats answer REBALANCE_IN_PROGRESS.
    case preparingRebalance = "PreparingRebalance"
    /// Join responses went out; the coordinator waits for the leader's SyncGroup with the assignment
    /// and parks the followers' SyncGroup requests until then.
    case completingRebalance = "CompletingRebalance"
    /// Every member has its assignment for the current generation.
    case stable = "Stable"
    /// Deleted. Nothing leaves this state; requests get COORDINATOR_NOT_AVAILABLE so clients look
    /// the coordinator up again.
    case dead = "Dead"
}
