import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// Whether an OffsetCommit from this member may be written (Kafka's `validateOffsetCommit` and
    /// `doCommitOffsets`); `.noError` means the runtime appends the offsets. A commit is a sign of
    /// life, so it extends the member's session like a heartbeat.
    ///
    /// Generation -1 with an empty member id comes from consumers that `assign()` partitions
    /// themselves or from admin tools: allowed while the group has no members. Otherwise the member
    /// and generation must be current, and a group waiting for its assignment answers
    /// REBALANCE_IN_PROGRESS. Commits during a join phase are still allowed: the member learns of the
    /// rebalance from its next heartbeat.
    public mutating func validateOffsetCommit(
        memberId: String, generationId: Int32, groupInstanceId: String? = nil, now: NIODeadline
    ) -> ErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if generationId < 0 && state == .empty { return .noError }
        if generationId >= 0 || !memberId.isEmpty || groupInstanceId != nil {
            if case .error(let error) = lookUpCurrentMember(memberId, groupInstanceId: groupInstanceId) {
                return error
            }
            if generationId != self.generationId { return .illegalGeneration }
        } else if state != .empty {
            return .unknownMemberId
        }
        switch state {
        case .empty, .dead:
            return .noError
        case .stable, .preparingRebalance:
            // A sign of life. A member that can expire always has a session timer due no later than
            // the new deadline, so moving the deadline needs no action: the timer reschedules itself.
            if let timeout = members[memberId]?.sessionTimeoutMs {
                members[memberId]?.sessionDeadline = now + .milliseconds(Int64(timeout))
            }
            return .noError
        case .completingRebalance:
            return .rebalanceInProgress
        }
    }
}
