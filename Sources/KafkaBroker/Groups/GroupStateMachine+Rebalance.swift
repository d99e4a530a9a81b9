import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// Starts a rebalance unless one is already under way (Kafka's `maybePrepareRebalance`).
    mutating func maybePrepareRebalance(now: NIODeadline, actions: inout [GroupAction]) {
        switch state {
        case .empty, .completingRebalance, .stable:
            prepareRebalance(now: now, actions: &actions)
        case .preparingRebalance, .dead:
            break
        }
    }

    /// Opens a join phase (Kafka's `prepareRebalance`). Members must rejoin within the rebalance
    /// timeout; the first join into an Empty group waits `group.initial.rebalance.delay.ms` instead.
    mutating func prepareRebalance(now: NIODeadline, actions: inout [GroupAction]) {
        if state == .completingRebalance {
            // Members parked in SyncGroup wait for an assignment that will never come: send them back
            // to JoinGroup.
            for memberId in memberOrder { members[memberId]?.assignment = ByteBuffer() }
            propagateAssignment(error: .rebalanceInProgress, now: now, actions: &actions)
        }
        pendingSyncMembers.removeAll()
        let wasEmpty = state == .empty
        state = .preparingRebalance
        if wasEmpty {
            let delayMs = configuration.groupInitialRebalanceDelayMs
            guard delayMs > 0 else {
                // Kafka's initial delay of zero expires at once, whoever else is still pending.
                completeJoin(now: now, actions: &actions)
                return
            }
            rebalanceTimer = .initialDelay(
                deadline: now + .milliseconds(Int64(delayMs)), delayMs: delayMs,
                remainingMs: max(rebalanceTimeoutMs - delayMs, 0))
        } else {
            rebalanceTimer = .join(deadline: now + .milliseconds(Int64(rebalanceTimeoutMs)))
            maybeCompleteJoin(now: now, actions: &actions)
        }
    }

    /// Ends the join phase early once every known member has rejoined and no id handed out with
    /// MEMBER_ID_REQUIRED is outstanding. The initial delay always runs its course: its point is to
    /// wait for members nobody knows about yet.
    mutating func maybeCompleteJoin(now: NIODeadline, actions: inout [GroupAction]) {
        guard state == .preparingRebalance, case .join? = rebalanceTimer else { return }
        if pendingMembers.isEmpty && members.values.allSatisfy({ $0.awaitingJoin != nil }) {
            completeJoin(now: now, actions: &actions)
        }
    }

    /// Ends a join phase (Kafka's `onCompleteJoin`): drops dynamic members that did not rejoin,
    /// starts the next generation and answers every parked join, the leader with the member list.
    mutating func completeJoin(now: NIODeadline, actions: inout [GroupAction]) {
        // Absent static members keep their place (KIP-345): they come back under the same instance id.
        for memberId in memberOrder {
            if let member = members[memberId], member.awaitingJoin == nil, !member.isStatic {
                removeMember(memberId, actions: &actions)
            }
        }
        guard electJoinedLeader() || members.isEmpty else {
            // Only absent static members are left: rather than form a generation nobody joined, wait
            // another rebalance timeout (their sessions run out meanwhile if they are gone for good).
            rebalanceTimer = .join(deadline: now + .milliseconds(Int64(rebalanceTimeoutMs)))
            return
        }
        generationId += 1
        pendingSyncMembers.removeAll()
        guard !members.isEmpty else {
            protocolName = nil
            state = .empty
            rebalanceTimer = nil
            actions.append(.persistGroup(snapshot()))
            return
        }
        protocolName = selectProtocol()
        state = .completingRebalance
        let leaderId = self.leaderId ?? ""
        let memberMetadata = currentMemberMetadata()
        for memberId in memberOrder {
            if let join = members[memberId]?.awaitingJoin {
                members[memberId]?.awaitingJoin = nil
                let result = JoinGroupResult(
                    generationId: generationId, protocolType: protocolType, protocolName: protocolName,
                    leaderId: leaderId, memberId: memberId, members: memberId == leaderId ? memberMetadata : [])
                actions.append(.completeJoin(join, result))
            }
            members[memberId]?.isNew = false
            extendSession(of: memberId, now: now)
            pendingSyncMembers.insert(memberId)
        }
        // Members that got their join response but never sync are dropped after a rebalance timeout.
        rebalanceTimer = .sync(deadline: now + .milliseconds(Int64(rebalanceTimeoutMs)))
    }

    /// Kafka's `maybeElectNewJoinedLeader`: keeps the leader if it rejoined, else hands leadership to
    /// the first member that did. False when nobody rejoined.
    mutating func electJoinedLeader() -> Bool {
        guard let leaderId, let leader = members[leaderId] else { return false }
        if leader.awaitingJoin != nil { return true }
        guard let joined = orderedMembers.first(where: { $0.awaitingJoin != nil }) else { return false }
        self.leaderId = joined.memberId
        return true
    }

    /// Answers every parked SyncGroup with the member's assignment, or with `error`, and restarts
    /// the member's session, which stood still while it was parked.
    mutating func propagateAssignment(error: ErrorCode, now: NIODeadline, actions: inout [GroupAction]) {
        for memberId in memberOrder {
            guard let member = members[memberId], let sync = member.awaitingSync else { continue }
            members[memberId]?.awaitingSync = nil
            let result =
                error == .noError
                ? SyncGroupResult(protocolType: protocolType, protocolName: protocolName, assignment: member.assignment)
                : .failure(error)
            actions.append(.completeSync(sync, result))
            extendSession(of: memberId, now: now)
        }
    }

    /// Removes a member that left or failed and lets the group react (Kafka's
    /// `removeMemberAndUpdateGroup`): a settled group rebalances without it, and a join phase may
    /// now have everyone it waits for.
    mutating func removeMemberAndUpdateGroup(_ memberId: String, now: NIODeadline, actions: inout [GroupAction]) {
        removeMember(memberId, actions: &actions)
        switch state {
        case .stable, .completingRebalance:
            prepareRebalance(now: now, actions: &actions)
        case .preparingRebalance:
            maybeCompleteJoin(now: now, actions: &actions)
        case .empty, .dead:
            break
        }
    }

    /// Forgets an id handed out with MEMBER_ID_REQUIRED; a join phase may have been waiting for it.
    mutating func removePendingMember(_ memberId: String, now: NIODeadline, actions: inout [GroupAction]) {
        pendingMembers[memberId] = nil
        sessionTimersToReconcile.append(memberId)
        maybeCompleteJoin(now: now, actions: &actions)
    }

    /// Notes that a member has synced; once all have, the sync timeout has nothing left to watch.
    mutating func removePendingSyncMember(_ memberId: String) {
        pendingSyncMembers.remove(memberId)
        if pendingSyncMembers.isEmpty, case .sync? = rebalanceTimer {
            rebalanceTimer = nil
        }
    }
}
