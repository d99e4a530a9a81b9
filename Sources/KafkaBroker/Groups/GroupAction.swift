import KafkaProtocol
import NIOCore

/// What the runtime must do after an event. The state machine owns no sockets, clocks or timers:
/// it answers requests by id, asks for timers and hands over group metadata to write.
///
/// Timers are keyed: one session timer per (group, member id) and one rebalance timer per group. A
/// `schedule…` replaces the timer with the same key; when a timer fires, the runtime calls
/// `sessionTimeoutExpired` or `rebalanceTimeoutExpired` with the current time. A timer that fires
/// late or after it was replaced does no harm: the state machine checks its own deadlines.
public enum GroupAction: Sendable, Equatable {
    /// Answer the JoinGroup request with this id (it may have been parked for a while).
    case completeJoin(GroupRequestID, JoinGroupResult)
    /// Answer the SyncGroup request with this id.
    case completeSync(GroupRequestID, SyncGroupResult)
    /// Answer the Heartbeat request with this id.
    case completeHeartbeat(GroupRequestID, ErrorCode)
    /// Answer the LeaveGroup request with this id.
    case completeLeave(GroupRequestID, LeaveGroupResult)
    /// Call `sessionTimeoutExpired(groupId:memberId:now:)` at `deadline`, replacing this member's timer.
    case scheduleSessionTimeout(groupId: String, memberId: String, deadline: NIODeadline)
    /// Drop this member's session timer: the member is gone.
    case cancelSessionTimeout(groupId: String, memberId: String)
    /// Call `rebalanceTimeoutExpired(groupId:now:)` at `deadline`, replacing the group's timer.
    case scheduleRebalanceTimeout(groupId: String, deadline: NIODeadline)
    /// Drop the group's rebalance timer: what it waited for has happened.
    case cancelRebalanceTimeout(groupId: String)
    /// Append this group metadata record to `__consumer_offsets`, where Kafka's `storeGroup` writes it,
    /// so a restarted broker can restore the group with `loadGroup`.
    case persistGroup(GroupMetadataSnapshot)
}
