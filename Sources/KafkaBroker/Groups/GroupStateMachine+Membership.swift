import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    // MARK: - Members

    /// Adds a member; the first one sets the protocol type and leads.
    mutating func addMember(_ member: GroupMember) {
        if members.isEmpty { protocolType = member.protocolType }
        if leaderId == nil { leaderId = member.memberId }
        members[member.memberId] = member
        memberOrder.append(member.memberId)
        pendingMembers[member.memberId] = nil
        sessionTimersToReconcile.append(member.memberId)
    }

    /// Removes a member, answering any request it has parked with UNKNOWN_MEMBER_ID so that the
    /// client, if still alive, joins afresh. Leadership passes to the longest-standing member.
    mutating func removeMember(_ memberId: String, actions: inout [GroupAction]) {
        guard let member = members.removeValue(forKey: memberId) else { return }
        memberOrder.removeAll { $0 == memberId }
        if let join = member.awaitingJoin {
            actions.append(.completeJoin(join, .failure(.unknownMemberId, memberId: "")))
        }
        if let sync = member.awaitingSync {
            actions.append(.completeSync(sync, .failure(.unknownMemberId)))
        }
        if leaderId == memberId { leaderId = memberOrder.first }
        pendingSyncMembers.remove(memberId)
        sessionTimersToReconcile.append(memberId)
    }

    /// Takes a rejoining member's protocols and timeouts and parks its join request.
    mutating func updateMember(
        _ memberId: String, with request: GroupJoinRequest, id: GroupRequestID, actions: inout [GroupAction]
    ) {
        if let superseded = members[memberId]?.awaitingJoin {
            // Kafka drops an older parked join of the same member silently; answering it keeps the
            // runtime from holding that request forever.
            actions.append(.completeJoin(superseded, .failure(.rebalanceInProgress, memberId: memberId)))
        }
        members[memberId]?.protocols = request.protocols
        members[memberId]?.rebalanceTimeoutMs = request.rebalanceTimeoutMs
        members[memberId]?.sessionTimeoutMs = request.sessionTimeoutMs
        members[memberId]?.awaitingJoin = id
    }

    /// Gives a restarted static member its new member id, keeping its place, assignment and
    /// leadership. Requests the previous incarnation still has parked are fenced: that process must
    /// stop, as another one now owns the instance id.
    mutating func replaceStaticMember(_ oldMemberId: String, with newMemberId: String, actions: inout [GroupAction]) {
        guard var member = members.removeValue(forKey: oldMemberId) else { return }
        if let join = member.awaitingJoin {
            actions.append(.completeJoin(join, .failure(.fencedInstanceId, memberId: oldMemberId)))
        }
        if let sync = member.awaitingSync {
            actions.append(.completeSync(sync, .failure(.fencedInstanceId)))
        }
        member.awaitingJoin = nil
        member.awaitingSync = nil
        member.memberId = newMemberId
        members[newMemberId] = member
        memberOrder = memberOrder.map { $0 == oldMemberId ? newMemberId : $0 }
        if leaderId == oldMemberId { leaderId = newMemberId }
        if pendingSyncMembers.remove(oldMemberId) != nil { pendingSyncMembers.insert(newMemberId) }
        sessionTimersToReconcile.append(oldMemberId)
    }

    // MARK: - Protocols

    /// Kafka's `supportsProtocols`: the first member sets the protocol type; later members must use
    /// the same type and share at least one protocol with every current member.
    func supportsProtocols(type: String, _ protocols: [GroupProtocol]) -> Bool {
        if state == .empty { return !type.isEmpty && !protocols.isEmpty }
        return protocolType == type
            && protocols.contains { candidate in members.values.allSatisfy { $0.supports(candidate.name) } }
    }

    /// Kafka's `selectProtocol`: every member votes for its most preferred protocol among those all
    /// members support, and the most votes win. Kafka breaks ties by hash order; here the tie goes to
    /// the first member's preference, so the choice is reproducible.
    func selectProtocol() -> String? {
        let ordered = orderedMembers
        guard let first = ordered.first else { return nil }
        let candidates = first.protocols.map(\.name).filter { name in ordered.allSatisfy { $0.supports(name) } }
        let candidateSet = Set(candidates)
        var votes: [String: Int] = [:]
        for member in ordered {
            if let vote = member.vote(among: candidateSet) { votes[vote, default: 0] += 1 }
        }
        var selected: String?
        var mostVotes = 0
        for candidate in candidates where votes[candidate, default: 0] > mostVotes {
            selected = candidate
            mostVotes = votes[candidate, default: 0]
        }
        return selected
    }

    /// The leader's view of the group: every member's metadata for the chosen protocol.
    func currentMemberMetadata() -> [JoinGroupResultMember] {
        let protocolName = self.protocolName ?? ""
        return orderedMembers.map {
            JoinGroupResultMember(
                memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, metadata: $0.metadata(for: protocolName))
        }
    }

    // MARK: - Sessions

    /// A sign of life: the member's session runs for another session timeout from now.
    mutating func extendSession(of memberId: String, now: NIODeadline) {
        guard let timeout = members[memberId]?.sessionTimeoutMs else { return }
        members[memberId]?.sessionDeadline = now + .milliseconds(Int64(timeout))
        sessionTimersToReconcile.append(memberId)
    }

    // MARK: - Timers

    /// Brings the runtime's timers in line with the deadlines at the end of an event, so a timer set
    /// and replaced within one event costs the runtime nothing.
    ///
    /// Session timers are checked for the ids the event touched: a timer no later than the deadline
    /// for every member that can expire and every pending member id, none for ids that are gone. A
    /// timer already due before the deadline is kept, so heartbeats cost no timer churn: when it
    /// fires, `sessionTimeoutExpired` schedules the rest. Members parked in a join or sync cannot
    /// expire; they get a timer again when they are answered.
    mutating func reconcileTimers(actions: inout [GroupAction]) {
        let rebalanceDeadline = rebalanceTimer?.deadline
        if rebalanceDeadline != armedRebalanceDeadline {
            if let rebalanceDeadline {
                actions.append(.scheduleRebalanceTimeout(groupId: groupId, deadline: rebalanceDeadline))
            } else {
                actions.append(.cancelRebalanceTimeout(groupId: groupId))
            }
            armedRebalanceDeadline = rebalanceDeadline
        }
        for memberId in sessionTimersToReconcile {
            let armed = armedSessionTimers[memberId]
            let deadline: NIODeadline
            if let pendingDeadline = pendingMembers[memberId] {
                deadline = pendingDeadline
            } else if let member = members[memberId] {
                if member.isWaitingOnCoordinator { continue }
                deadline = member.sessionDeadline
            } else {
                if armed != nil {
                    armedSessionTimers[memberId] = nil
                    actions.append(.cancelSessionTimeout(groupId: groupId, memberId: memberId))
                }
                continue
            }
            if let armed, armed <= deadline { continue }
            armedSessionTimers[memberId] = deadline
            actions.append(.scheduleSessionTimeout(groupId: groupId, memberId: memberId, deadline: deadline))
        }
        sessionTimersToReconcile.removeAll(keepingCapacity: true)
    }
}
