import KafkaProtocol
import NIOCore

extension GroupStateMachine {
    /// A JoinGroup request (Kafka's `handleJoinGroup`). The join is answered at once or parked until
    /// the join phase completes; the answer is a `.completeJoin` with `id`, in these actions or in
    /// those of a later event.
    ///
    /// - Parameter memberIds: where new member ids come from; shared by all groups of a coordinator
    ///   so an id is never handed out twice.
    public mutating func joinGroup(
        _ request: GroupJoinRequest, id: GroupRequestID, now: NIODeadline, memberIds: inout MemberIdGenerator
    ) -> [GroupAction] {
        var actions: [GroupAction] = []
        if request.sessionTimeoutMs < configuration.groupMinSessionTimeoutMs
            || request.sessionTimeoutMs > configuration.groupMaxSessionTimeoutMs
        {
            actions.append(.completeJoin(id, .failure(.invalidSessionTimeout, memberId: request.memberId)))
        } else if !acceptsJoiningMember(request.memberId) {
            // A known member that had not rejoined yet gives up its place; it has to start over.
            removeMember(request.memberId, actions: &actions)
            actions.append(.completeJoin(id, .failure(.groupMaxSizeReached, memberId: "")))
        } else if request.memberId.isEmpty {
            joinNewMember(request, id: id, now: now, memberIds: &memberIds, actions: &actions)
        } else {
            joinCurrentMember(request, id: id, now: now, actions: &actions)
        }
        if state == .preparingRebalance {
            maybeCompleteJoin(now: now, actions: &actions)
        }
        reconcileTimers(actions: &actions)
        return actions
    }

    /// Kafka's `acceptJoiningMember`: whether `group.max.size` leaves room for this join. During a
    /// join phase the count is of members that already rejoined, so the last to rejoin are the ones
    /// turned away when the limit was lowered.
    private func acceptsJoiningMember(_ memberId: String) -> Bool {
        switch state {
        case .empty, .dead:
            return true
        case .preparingRebalance:
            let awaitingJoin = members.values.filter { $0.awaitingJoin != nil }.count
            return members[memberId]?.awaitingJoin != nil || awaitingJoin < configuration.groupMaxSize
        case .completingRebalance, .stable:
            return members[memberId] != nil || members.count < configuration.groupMaxSize
        }
    }

    /// A join with an empty member id: a new member, or a static member restarting.
    private mutating func joinNewMember(
        _ request: GroupJoinRequest, id: GroupRequestID, now: NIODeadline, memberIds: inout MemberIdGenerator,
        actions: inout [GroupAction]
    ) {
        guard state != .dead else {
            actions.append(.completeJoin(id, .failure(.coordinatorNotAvailable, memberId: "")))
            return
        }
        guard supportsProtocols(type: request.protocolType, request.protocols) else {
            actions.append(.completeJoin(id, .failure(.inconsistentGroupProtocol, memberId: "")))
            return
        }
        let newMemberId = memberIds.next(for: request.groupInstanceId ?? request.clientId)
        if let groupInstanceId = request.groupInstanceId, let oldMemberId = staticMemberId(for: groupInstanceId) {
            rejoinStaticMember(oldMemberId, as: newMemberId, request, id: id, now: now, actions: &actions)
        } else if request.groupInstanceId == nil && request.apiVersion >= 4 {
            // KIP-394: the member must come back with this id within its session timeout. Until then
            // it is pending, and a join phase waits for it, so a client that loses the response does
            // not leave a phantom member behind.
            pendingMembers[newMemberId] = now + .milliseconds(Int64(request.sessionTimeoutMs))
            sessionTimersToReconcile.append(newMemberId)
            actions.append(.completeJoin(id, .failure(.memberIdRequired, memberId: newMemberId)))
        } else {
            addMemberAndRebalance(newMemberId, request, id: id, now: now, actions: &actions)
        }
    }

    /// A join with a member id: a pending member coming back, or a member rejoining.
    private mutating func joinCurrentMember(
        _ request: GroupJoinRequest, id: GroupRequestID, now: NIODeadline, actions: inout [GroupAction]
    ) {
        let memberId = request.memberId
        guard state != .dead else {
            actions.append(.completeJoin(id, .failure(.coordinatorNotAvailable, memberId: memberId)))
            return
        }
        guard supportsProtocols(type: request.protocolType, request.protocols) else {
            actions.append(.completeJoin(id, .failure(.inconsistentGroupProtocol, memberId: memberId)))
            return
        }
        if pendingMembers[memberId] != nil {
            // Pending ids are only handed to dynamic members; Kafka answers this with an internal error.
            guard request.groupInstanceId == nil else {
                actions.append(.completeJoin(id, .failure(.unknownServerError, memberId: memberId)))
                return
            }
            addMemberAndRebalance(memberId, request, id: id, now: now, actions: &actions)
            return
        }
        if case .error(let error) = lookUpCurrentMember(memberId, groupInstanceId: request.groupInstanceId) {
            actions.append(.completeJoin(id, .failure(error, memberId: memberId)))
            return
        }
        let unchanged = members[memberId]?.matches(request.protocols) ?? false
        switch state {
        case .preparingRebalance:
            updateMember(memberId, with: request, id: id, actions: &actions)
        case .completingRebalance where unchanged:
            // The member lost its join response: send it again.
            actions.append(.completeJoin(id, currentGenerationResult(for: memberId)))
        case .stable where unchanged && leaderId != memberId:
            actions.append(.completeJoin(id, currentGenerationResult(for: memberId)))
        case .completingRebalance, .stable:
            // New metadata needs a new assignment. A rejoining leader also rebalances: that is how a
            // consumer leader asks for one after topic metadata changed.
            updateMember(memberId, with: request, id: id, actions: &actions)
            prepareRebalance(now: now, actions: &actions)
        case .empty, .dead:
            actions.append(.completeJoin(id, .failure(.unknownMemberId, memberId: memberId)))
        }
    }

    /// The join response of the current generation, with the member list for the leader only.
    private func currentGenerationResult(for memberId: String) -> JoinGroupResult {
        JoinGroupResult(
            generationId: generationId, protocolType: protocolType, protocolName: protocolName,
            leaderId: leaderId ?? "", memberId: memberId,
            members: leaderId == memberId ? currentMemberMetadata() : [])
    }

    private mutating func addMemberAndRebalance(
        _ memberId: String, _ request: GroupJoinRequest, id: GroupRequestID, now: NIODeadline,
        actions: inout [GroupAction]
    ) {
        let member = GroupMember(
            memberId: memberId, groupInstanceId: request.groupInstanceId, clientId: request.clientId,
            clientHost: request.clientHost, sessionTimeoutMs: request.sessionTimeoutMs,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocolType: request.protocolType,
            protocols: request.protocols, assignment: ByteBuffer(), awaitingJoin: id, isNew: true,
            sessionDeadline: now + .milliseconds(Int64(Self.newMemberJoinTimeoutMs)))
        if state == .preparingRebalance && generationId == 0 {
            newMemberAdded = true
        }
        addMember(member)
        maybePrepareRebalance(now: now, actions: &actions)
    }

    /// A static member restarting under its instance id with an empty member id (Kafka's
    /// `updateStaticMemberAndRebalance`). In a Stable group whose chosen protocol it does not change,
    /// it takes over the old member's place and assignment without a rebalance.
    private mutating func rejoinStaticMember(
        _ oldMemberId: String, as newMemberId: String, _ request: GroupJoinRequest, id: GroupRequestID,
        now: NIODeadline, actions: inout [GroupAction]
    ) {
        let previousLeaderId = leaderId ?? ""
        replaceStaticMember(oldMemberId, with: newMemberId, actions: &actions)
        updateMember(newMemberId, with: request, id: id, actions: &actions)
        extendSession(of: newMemberId, now: now)
        switch state {
        case .stable where selectProtocol() == protocolName:
            members[newMemberId]?.awaitingJoin = nil
            actions.append(.persistGroup(snapshot()))
            let result: JoinGroupResult
            if request.apiVersion >= 9 {
                // KIP-814: a static leader learns it leads, but must not compute a new assignment
                // that a Stable group would never hand out.
                let isLeader = leaderId == newMemberId
                result = JoinGroupResult(
                    generationId: generationId, protocolType: protocolType, protocolName: protocolName,
                    leaderId: leaderId ?? "", skipAssignment: isLeader, memberId: newMemberId,
                    members: isLeader ? currentMemberMetadata() : [])
            } else {
                // Older clients are told the old leader id, which is not theirs, so even a restarted
                // leader does not run the assignor.
                result = JoinGroupResult(
                    generationId: generationId, protocolType: protocolType, protocolName: protocolName,
                    leaderId: previousLeaderId, memberId: newMemberId)
            }
            actions.append(.completeJoin(id, result))
        case .stable, .completingRebalance:
            // The leader may already have assigned to the old member id; only a new generation
            // gives the new id an assignment.
            prepareRebalance(now: now, actions: &actions)
        case .preparingRebalance, .empty, .dead:
            // The join stays parked with the others (Empty and Dead groups have no static members).
            break
        }
    }
}
