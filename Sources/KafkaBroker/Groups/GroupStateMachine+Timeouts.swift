import NIOCore

extension GroupStateMachine {
    /// The session timer of `memberId` fired (Kafka's `onExpireHeartbeat`). A member that has shown
    /// no sign of life for its session timeout is removed, which starts a rebalance; a pending member
    /// id that was not used in time is forgotten. A timer that fired early, late or for an id that is
    /// gone changes nothing beyond rescheduling.
    public mutating func sessionTimeoutExpired(memberId: String, now: NIODeadline) -> [GroupAction] {
        var actions: [GroupAction] = []
        // The runtime's timer for this id has run; the reconciliation below arms a new one if needed.
        armedSessionTimers[memberId] = nil
        sessionTimersToReconcile.append(memberId)
        if let pendingDeadline = pendingMembers[memberId] {
            if now >= pendingDeadline {
                removePendingMember(memberId, now: now, actions: &actions)
            }
        } else if let member = members[memberId], member.hasExpired(at: now) {
            removeMemberAndUpdateGroup(memberId, now: now, actions: &actions)
        }
        reconcileTimers(actions: &actions)
        return actions
    }

    /// The group's rebalance timer fired: the initial delay is over (and is extended while members
    /// keep arriving), a join phase ran out of time (members that did not rejoin are dropped), or
    /// members did not sync in time (they are dropped and the group rebalances).
    public mutating func rebalanceTimeoutExpired(now: NIODeadline) -> [GroupAction] {
        var actions: [GroupAction] = []
        // The runtime's timer has run; the reconciliation below schedules whatever comes next, or
        // the same deadline again if this was an early or stale firing.
        armedRebalanceDeadline = nil
        if let timer = rebalanceTimer, now >= timer.deadline {
            rebalanceTimer = nil
            rebalanceTimerFired(timer, now: now, actions: &actions)
        }
        reconcileTimers(actions: &actions)
        return actions
    }

    private mutating func rebalanceTimerFired(_ timer: RebalanceTimer, now: NIODeadline, actions: inout [GroupAction]) {
        switch timer {
        case .initialDelay(_, let delayMs, let remainingMs):
            if newMemberAdded && remainingMs > 0 {
                // Kafka's InitialDelayedJoin: another delay, as long as the rebalance timeout allows.
                newMemberAdded = false
                let nextDelayMs = min(configuration.groupInitialRebalanceDelayMs, remainingMs)
                rebalanceTimer = .initialDelay(
                    deadline: now + .milliseconds(Int64(nextDelayMs)), delayMs: nextDelayMs,
                    remainingMs: max(remainingMs - delayMs, 0))
            } else {
                completeJoin(now: now, actions: &actions)
            }
        case .join:
            completeJoin(now: now, actions: &actions)
        case .sync:
            // Kafka's onExpirePendingSync.
            let unsynced = memberOrder.filter { pendingSyncMembers.contains($0) }
            if !unsynced.isEmpty {
                for memberId in unsynced { removeMember(memberId, actions: &actions) }
                prepareRebalance(now: now, actions: &actions)
            }
        }
    }
}
