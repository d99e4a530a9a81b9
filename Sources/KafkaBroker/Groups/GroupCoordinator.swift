import KafkaProtocol
import Logging
import NIOCore
import Synchronization

/// Runs the pure `GroupCoordinatorStateMachine`: parks requests until the machine answers them,
/// owns the session and rebalance timers, and writes group metadata to `__consumer_offsets`.
///
/// Every event and the actions it returns are handled under one lock, so a group's records are
/// written in the order of its events; no action blocks (continuations resume, timers are tasks,
/// metadata writes skip the fsync wait).
final class GroupCoordinator: Sendable {
    private enum Parked {
        case join(CheckedContinuation<JoinGroupResult, Never>)
        case sync(CheckedContinuation<SyncGroupResult, Never>)
        case heartbeat(CheckedContinuation<ErrorCode, Never>)
        case leave(CheckedContinuation<LeaveGroupResult, Never>)
    }

    private enum TimerKey: Hashable {
        case session(group: String, member: String)
        case rebalance(group: String)
    }

    private struct State {
        var machine: GroupCoordinatorStateMachine
        var nextRequestId: UInt64 = 0
        var parked: [GroupRequestID: Parked] = [:]
        var timers: [TimerKey: Task<Void, Never>] = [:]
        /// The generation last written per group: a snapshot of a new generation is a finished
        /// rebalance, one of the same generation (a static member's rejoin) is not.
        var persistedGenerations: [String: Int32] = [:]
    }

    private let state: Mutex<State>
    let offsets: OffsetStore
    private let metrics: BrokerMetrics
    private let logger: Logger

    init(configuration: BrokerConfiguration, offsets: OffsetStore, metrics: BrokerMetrics, logger: Logger) {
        let machine = GroupCoordinatorStateMachine(
            configuration: GroupCoordinatorConfiguration(
                groupMinSessionTimeoutMs: configuration.groupMinSessionTimeoutMs,
                groupMaxSessionTimeoutMs: configuration.groupMaxSessionTimeoutMs,
                groupInitialRebalanceDelayMs: configuration.groupInitialRebalanceDelayMs),
            memberIdGenerator: MemberIdGenerator(prefix: KafkaUUID.random().description + "-"))
        self.state = Mutex(State(machine: machine))
        self.offsets = offsets
        self.metrics = metrics
        self.logger = logger
    }

    /// Restores the groups found in `__consumer_offsets` at start-up.
    func load(_ snapshots: [GroupMetadataSnapshot]) {
        for snapshot in snapshots {
            handle { $0.loadGroup(snapshot, now: .now()) }
        }
        if !snapshots.isEmpty { logger.info("Loaded \(snapshots.count) consumer group(s) from \(Topic.consumerOffsets)") }
    }

    // MARK: - Requests

    func join(groupId: String, _ request: GroupJoinRequest) async -> JoinGroupResult {
        await withCheckedContinuation { continuation in
            park(.join(continuation)) { machine, id in machine.joinGroup(groupId: groupId, request, id: id, now: .now()) }
        }
    }

    func sync(groupId: String, _ request: GroupSyncRequest) async -> SyncGroupResult {
        await withCheckedContinuation { continuation in
            park(.sync(continuation)) { machine, id in machine.syncGroup(groupId: groupId, request, id: id, now: .now()) }
        }
    }

    func heartbeat(groupId: String, memberId: String, groupInstanceId: String?, generationId: Int32) async -> ErrorCode {
        await withCheckedContinuation { continuation in
            park(.heartbeat(continuation)) { machine, id in
                machine.heartbeat(
                    groupId: groupId, memberId: memberId, groupInstanceId: groupInstanceId, generationId: generationId, id: id,
                    now: .now())
            }
        }
    }

    func leave(groupId: String, members: [GroupMemberIdentity]) async -> LeaveGroupResult {
        await withCheckedContinuation { continuation in
            park(.leave(continuation)) { machine, id in machine.leaveGroup(groupId: groupId, members: members, id: id, now: .now()) }
        }
    }

    func validateOffsetCommit(groupId: String, memberId: String, generationId: Int32, groupInstanceId: String?) -> ErrorCode {
        state.withLock {
            $0.machine.validateOffsetCommit(
                groupId: groupId, memberId: memberId, generationId: generationId, groupInstanceId: groupInstanceId, now: .now())
        }
    }

    func describe(_ groupId: String) -> GroupDescription {
        state.withLock { $0.machine.describeGroup(groupId) }
    }

    func list(states: [String], types: [String]) -> [GroupListing] {
        state.withLock { $0.machine.listGroups(statesFilter: states, typesFilter: types) }
    }

    /// Deletes an empty group and its offsets; NON_EMPTY_GROUP while it has members.
    func delete(_ groupId: String) async -> ErrorCode {
        var error = handleReturning { $0.deleteGroup(groupId) }
        if error == .noError { state.withLock { _ = $0.persistedGenerations.removeValue(forKey: groupId) } }
        let hasOffsets = !offsets.committedOffsets(group: groupId).isEmpty
        if error == .groupIdNotFound && hasOffsets { error = .noError }
        guard error == .noError else { return error }
        do {
            try offsets.persistGroup(nil, group: groupId)
            try await offsets.deleteOffsets(group: groupId)
            logger.info("Deleted consumer group \(groupId)")
            return .noError
        } catch {
            logger.error("Deleting consumer group \(groupId) failed: \(error)")
            return .kafkaStorageError
        }
    }

    /// Expires committed offsets of groups without members; a group left with neither members nor
    /// offsets is removed, as Kafka removes it.
    func expireOffsets(retentionMinutes: Int64) async {
        let active = state.withLock { state in
            Set(state.machine.groups.values.filter { !$0.memberIds.isEmpty }.map(\.groupId))
        }
        let emptied = await offsets.expireOffsets(
            nowMs: WallClock.milliseconds(), retentionMs: retentionMinutes * 60_000, activeGroups: active)
        for group in emptied {
            if handleReturning({ $0.deleteGroup(group) }) == .noError {
                state.withLock { _ = $0.persistedGenerations.removeValue(forKey: group) }
                try? offsets.persistGroup(nil, group: group)
                logger.info("Removed consumer group \(group): its offsets expired")
            }
        }
    }

    // MARK: - Running the machine

    private func park(_ parked: Parked, _ event: (inout GroupCoordinatorStateMachine, GroupRequestID) -> [GroupAction]) {
        state.withLock { state in
            state.nextRequestId += 1
            let id = GroupRequestID(rawValue: state.nextRequestId)
            state.parked[id] = parked
            run(event(&state.machine, id), in: &state)
        }
    }

    private func handle(_ event: (inout GroupCoordinatorStateMachine) -> [GroupAction]) {
        state.withLock { state in run(event(&state.machine), in: &state) }
    }

    private func handleReturning<Value>(_ event: (inout GroupCoordinatorStateMachine) -> Value) -> Value {
        state.withLock { event(&$0.machine) }
    }

    private func run(_ actions: [GroupAction], in state: inout State) {
        for action in actions {
            switch action {
            case .completeJoin(let id, let result):
                if case .join(let continuation)? = state.parked.removeValue(forKey: id) { continuation.resume(returning: result) }
            case .completeSync(let id, let result):
                if case .sync(let continuation)? = state.parked.removeValue(forKey: id) { continuation.resume(returning: result) }
            case .completeHeartbeat(let id, let error):
                if case .heartbeat(let continuation)? = state.parked.removeValue(forKey: id) { continuation.resume(returning: error) }
            case .completeLeave(let id, let result):
                if case .leave(let continuation)? = state.parked.removeValue(forKey: id) { continuation.resume(returning: result) }
            case .scheduleSessionTimeout(let group, let member, let deadline):
                schedule(.session(group: group, member: member), at: deadline, in: &state) { machine in
                    machine.sessionTimeoutExpired(groupId: group, memberId: member, now: .now())
                }
            case .cancelSessionTimeout(let group, let member):
                state.timers.removeValue(forKey: .session(group: group, member: member))?.cancel()
            case .scheduleRebalanceTimeout(let group, let deadline):
                schedule(.rebalance(group: group), at: deadline, in: &state) { machine in
                    machine.rebalanceTimeoutExpired(groupId: group, now: .now())
                }
            case .cancelRebalanceTimeout(let group):
                state.timers.removeValue(forKey: .rebalance(group: group))?.cancel()
            case .persistGroup(let snapshot):
                if state.persistedGenerations.updateValue(snapshot.generationId, forKey: snapshot.groupId) != snapshot.generationId {
                    metrics.recordRebalance(group: snapshot.groupId)
                }
                do {
                    try offsets.persistGroup(snapshot, group: snapshot.groupId)
                } catch {
                    logger.error("Writing the metadata of group \(snapshot.groupId) failed: \(error)")
                }
                logger.info(
                    "Group \(snapshot.groupId) generation \(snapshot.generationId): \(snapshot.members.count) member(s), protocol \(snapshot.protocolName ?? "-")"
                )
            }
        }
    }

    private func schedule(
        _ key: TimerKey, at deadline: NIODeadline, in state: inout State,
        _ event: @escaping @Sendable (inout GroupCoordinatorStateMachine) -> [GroupAction]
    ) {
        state.timers[key]?.cancel()
        let delay = max(0, (deadline - .now()).nanoseconds)
        state.timers[key] = Task { [weak self] in
            do {
                try await Task.sleep(for: .nanoseconds(delay))
            } catch {
                return
            }
            self?.state.withLock { state in
                // A timer replaced while it waited for the lock was cancelled under the same lock.
                guard !Task.isCancelled else { return }
                state.timers[key] = nil
                self?.run(event(&state.machine), in: &state)
            }
        }
    }
}
