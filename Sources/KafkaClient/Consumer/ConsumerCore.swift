import KafkaProtocol
import Logging
import NIOCore

/// The consumer's state and I/O: subscription and positions, fetched records waiting to be
/// returned, and the group membership driven by `ConsumerGroupStateMachine`. An actor, because the
/// heartbeat task and the polling task share it; records cross it in `poll`-sized arrays, never
/// one by one.
actor ConsumerCore {
    private let configuration: KafkaConsumerConfiguration
    private let cluster: KafkaCluster
    private let logger: Logger
    private var subscription = SubscriptionState()
    private var group: ConsumerGroupStateMachine?
    private var coordinator: BrokerConnection?
    /// Fetched records not yet returned, per partition, in offset order.
    private var buffered: [TopicPartition: ArraySlice<KafkaConsumerRecord>] = [:]
    /// Per partition, the first fetched record that could not be deserialized (see
    /// `throwUndeserializableRecordAtPosition`).
    private var undeserializable: [TopicPartition: KafkaError] = [:]
    private var nextAutoCommit: ContinuousClock.Instant
    private var patternCheckedAt: ContinuousClock.Instant?
    private var heartbeatTask: Task<Void, Never>?
    private var rebalanceListener: BoundRebalanceListener?
    /// The first error a rebalance listener threw, until the call that ran it throws it.
    private var rebalanceListenerError: KafkaError?
    /// The last `commitAsync` in flight: each waits for the one before, so commits land in order.
    private var asyncCommits: Task<Void, Never>?
    private var isClosed = false

    init(configuration: KafkaConsumerConfiguration, cluster: KafkaCluster, logger: Logger) {
        self.configuration = configuration
        self.cluster = cluster
        self.logger = logger
        self.nextAutoCommit = .now + .milliseconds(configuration.autoCommitIntervalMs)
        self.group = configuration.groupId.map { groupId in
            ConsumerGroupStateMachine(
                settings: .init(
                    groupId: groupId, groupInstanceId: configuration.groupInstanceId,
                    sessionTimeoutMs: Int32(clamping: configuration.sessionTimeoutMs),
                    rebalanceTimeoutMs: Int32(clamping: configuration.maxPollIntervalMs),
                    heartbeatInterval: .milliseconds(Int64(configuration.heartbeatIntervalMs)),
                    retryBackoff: .milliseconds(Int64(configuration.retryBackoffMs)),
                    assignors: configuration.partitionAssignmentStrategy))
        }
    }

    // MARK: - Subscription and assignment

    func subscribe(_ mode: SubscriptionState.Mode, listener: BoundRebalanceListener?) async throws(KafkaError) {
        try checkOpen()
        guard group != nil else {
            throw KafkaError(.illegalState, "subscribe needs a group_id; without one, assign partitions")
        }
        if subscription.mode == .manual {
            throw KafkaError(.illegalState, "subscribe after assign: unsubscribe first")
        }
        subscription.subscribe(mode)
        rebalanceListener = listener
        patternCheckedAt = nil
        if case .topics(let topics) = mode { group?.subscribed(to: topics, now: .now()) }
        if heartbeatTask == nil { heartbeatTask = Task { await self.sendHeartbeats() } }
    }

    func assign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try checkOpen()
        switch subscription.mode {
        case .topics, .pattern:
            throw KafkaError(.illegalState, "assign after subscribe: unsubscribe first")
        case .none, .manual:
            subscription.subscribe(.manual)
            subscription.assign(partitions)
            buffered = buffered.filter { subscription.isAssigned($0.key) }
        }
    }

    func unsubscribe() async {
        await revokeBeforeLeaving()
        if subscription.mode != .manual, let action = group?.leave(closing: false) { await run(action) }
        subscription.unsubscribe()
        buffered = [:]
    }

    var assignment: Set<TopicPartition> { subscription.assignment }

    var subscribedTopics: Set<String> {
        switch subscription.mode {
        case .topics(let topics): Set(topics)
        case .pattern: Set(group?.subscribedTopics ?? [])
        case .manual, .none: []
        }
    }

    // MARK: - Polling

    /// Up to `maxRecords` records, waiting up to `timeoutMs` for some to arrive; also keeps the group
    /// membership current, resolves positions and auto-commits, as kafka-python's poll does.
    ///
    /// - Parameter waitingForGroup: let a group round (join, sync) take as long as the coordinator
    ///   needs, up to the rebalance timeout, and start `timeoutMs` after it: iteration counts
    ///   `consumer_timeout_ms` as time without records, not time spent joining.
    func poll(timeoutMs: Int, maxRecords: Int, waitingForGroup: Bool = false) async throws(KafkaError) -> [KafkaConsumerRecord] {
        try checkOpen()
        guard subscription.mode != .none else {
            throw KafkaError(.illegalState, "poll without a subscription or assignment")
        }
        var deadline = ContinuousClock.now + .milliseconds(max(0, timeoutMs))
        repeat {
            try await refreshPatternSubscription()
            if waitingForGroup, group?.isStable == false {
                let roundLimit = ContinuousClock.now + .milliseconds(configuration.maxPollIntervalMs + configuration.requestTimeoutMs)
                guard try await ensureActiveGroup(deadline: roundLimit) else { return [] }
                deadline = max(deadline, .now + .milliseconds(max(0, timeoutMs)))
            }
            guard try await ensureActiveGroup(deadline: deadline) else { return [] }
            await maybeAutoCommit()
            try await updatePositions()
            var records = takeBuffered(maxRecords)
            if !records.isEmpty { return records }
            try throwUndeserializableRecordAtPosition()
            try await fetch(deadline: deadline)
            records = takeBuffered(maxRecords)
            if !records.isEmpty { return records }
            try throwUndeserializableRecordAtPosition()
        } while ContinuousClock.now < deadline
        return []
    }

    /// Buffered records at or after their partition's position, moving the positions past them.
    private func takeBuffered(_ maxRecords: Int) -> [KafkaConsumerRecord] {
        var taken: [KafkaConsumerRecord] = []
        for topicPartition in buffered.keys.sorted() where taken.count < maxRecords {
            guard var records = buffered.removeValue(forKey: topicPartition) else { continue }
            guard subscription.isAssigned(topicPartition), let position = subscription.position(of: topicPartition) else { continue }
            let isPaused = subscription.paused.contains(topicPartition)
            if isPaused {
                buffered[topicPartition] = records
                continue
            }
            var next = position
            while let record = records.first, taken.count < maxRecords {
                records = records.dropFirst()
                guard record.offset >= next else { continue }
                taken.append(record)
                next = record.offset + 1
            }
            subscription.seek(topicPartition, to: next)
            if !records.isEmpty { buffered[topicPartition] = records }
        }
        return taken
    }

    /// Fails `poll` once the records before an undeserializable one are consumed and the position
    /// has reached it, as Java's RecordDeserializationException does; every poll fails the same way
    /// until the application seeks past it (or elsewhere).
    private func throwUndeserializableRecordAtPosition() throws(KafkaError) {
        for (topicPartition, error) in undeserializable.sorted(by: { $0.key < $1.key }) {
            guard subscription.isAssigned(topicPartition), subscription.position(of: topicPartition) == error.offset else {
                undeserializable[topicPartition] = nil
                continue
            }
            if buffered[topicPartition] == nil { throw error }
        }
    }

    // MARK: - Fetching

    /// One Fetch per leader for the partitions with a position and nothing buffered, all at once,
    /// each waiting at most `fetch_max_wait_ms` (and not past `deadline`) for data.
    private func fetch(deadline: ContinuousClock.Instant) async throws(KafkaError) {
        let positions = subscription.fetchPositions.filter { buffered[$0.key] == nil && undeserializable[$0.key]?.offset != $0.value }
        guard !positions.isEmpty else {
            // Nothing to fetch (all paused): wait instead of spinning.
            try await sleep(until: min(deadline, .now + .milliseconds(configuration.retryBackoffMs)))
            return
        }
        var byLeader: [Int32: [TopicPartition: Int64]] = [:]
        for topic in Set(positions.keys.map(\.topic)) {
            let metadata = try await cluster.topic(topic, deadline: .now + .milliseconds(configuration.requestTimeoutMs))
            for partition in metadata.partitions where partition.leader >= 0 {
                let topicPartition = TopicPartition(topic: topic, partition: partition.id)
                if let position = positions[topicPartition] { byLeader[partition.leader, default: [:]][topicPartition] = position }
            }
        }
        let remainingMs = max(0, Int((deadline - .now) / .milliseconds(1)))
        let maxWaitMs = Int32(min(configuration.fetchMaxWaitMs, remainingMs))
        var connections: [(BrokerConnection, FetchRequest)] = []
        for (leader, partitions) in byLeader {
            let byTopic = Dictionary(grouping: partitions, by: \.key.topic)
            let request = FetchRequest(
                replicaId: -1, maxWaitMs: maxWaitMs, minBytes: Int32(clamping: configuration.fetchMinBytes),
                maxBytes: Int32(clamping: configuration.fetchMaxBytes), isolationLevel: configuration.isolationLevel.rawValue,
                sessionId: 0, sessionEpoch: -1,
                topics: byTopic.sorted { $0.key < $1.key }.map { topic, entries in
                    .init(
                        topic: topic,
                        partitions: entries.sorted { $0.key.partition < $1.key.partition }.map {
                            .init(
                                partition: $0.key.partition, fetchOffset: $0.value,
                                partitionMaxBytes: Int32(clamping: configuration.maxPartitionFetchBytes))
                        })
                })
            do {
                connections.append((try await cluster.connection(toNode: leader), request))
            } catch {
                logger.debug("no connection to leader \(leader): \(error)")
            }
        }
        let timeout = TimeAmount.milliseconds(Int64(configuration.requestTimeoutMs) + Int64(maxWaitMs))
        let responses = await withTaskGroup(of: (BrokerConnection, Result<FetchResponse, KafkaError>).self) { group in
            for (connection, request) in connections {
                group.addTask {
                    do throws(KafkaError) {
                        return (connection, .success(try await connection.send(request, timeout: timeout)))
                    } catch {
                        return (connection, .failure(error))
                    }
                }
            }
            var responses: [(BrokerConnection, Result<FetchResponse, KafkaError>)] = []
            for await response in group { responses.append(response) }
            return responses
        }
        for (connection, response) in responses {
            switch response {
            case .success(let response):
                try await handle(response, positions: positions)
            case .failure(let error):
                logger.debug("fetch from \(connection.description) failed: \(error)")
                for topic in Set(positions.keys.map(\.topic)) { await cluster.invalidate(topic: topic) }
            }
        }
    }

    private func handle(_ response: FetchResponse, positions: [TopicPartition: Int64]) async throws(KafkaError) {
        if let error = KafkaError.broker(code: response.errorCode, "fetch") { throw error }
        for topic in response.responses {
            for partition in topic.partitions {
                let topicPartition = TopicPartition(topic: topic.topic, partition: partition.partitionIndex)
                // A seek while the fetch was out makes its records stale.
                guard let fetchOffset = positions[topicPartition], subscription.position(of: topicPartition) == fetchOffset else {
                    continue
                }
                switch ErrorCode(rawValue: partition.errorCode) {
                case .noError:
                    subscription.setHighWatermark(topicPartition, partition.highWatermark)
                    let decoded = try FetchedRecords.decode(
                        partition.records, topicPartition: topicPartition, fetchOffset: fetchOffset,
                        verifyingChecksums: configuration.checkCrcs, keyDeserializer: configuration.keyDeserializer,
                        valueDeserializer: configuration.valueDeserializer,
                        abortedTransactions: configuration.isolationLevel == .readCommitted ? partition.abortedTransactions ?? [] : [])
                    undeserializable[topicPartition] = decoded.undeserializable
                    if !decoded.records.isEmpty {
                        buffered[topicPartition] = ArraySlice(decoded.records)
                    } else if decoded.undeserializable == nil, let nextOffset = decoded.nextOffset, nextOffset > fetchOffset {
                        subscription.seek(topicPartition, to: nextOffset)
                    }
                case .offsetOutOfRange:
                    guard configuration.autoOffsetReset != .none else {
                        throw KafkaError.broker(
                            .offsetOutOfRange, "fetch \(topicPartition) at offset \(fetchOffset) (auto_offset_reset is none)")!
                    }
                    logger.info("offset \(fetchOffset) of \(topicPartition) is out of range; resetting to \(configuration.autoOffsetReset)")
                    subscription.requestReset(topicPartition, to: configuration.autoOffsetReset)
                case let code where code.isRetriable:
                    await cluster.invalidate(topic: topicPartition.topic)
                case let code:
                    throw KafkaError.broker(code, "fetch \(topicPartition)")!
                }
            }
        }
    }

    // MARK: - Positions

    /// Gives every assigned partition a position: a pending seek to the beginning or end, else the
    /// group's committed offset, else `auto_offset_reset`.
    private func updatePositions() async throws(KafkaError) {
        let missing = subscription.partitionsWithoutPosition
        guard !missing.isEmpty else { return }
        var resets: [TopicPartition: KafkaAutoOffsetReset] = [:]
        var needCommitted: [TopicPartition] = []
        for topicPartition in missing {
            if let reset = subscription.partitions[topicPartition]?.pendingReset {
                resets[topicPartition] = reset
            } else {
                needCommitted.append(topicPartition)
            }
        }
        if !needCommitted.isEmpty, group != nil {
            let committed = try await fetchCommitted(needCommitted)
            for topicPartition in needCommitted {
                if let offset = committed[topicPartition] {
                    subscription.seek(topicPartition, to: offset.offset)
                } else {
                    resets[topicPartition] = configuration.autoOffsetReset
                }
            }
        } else {
            for topicPartition in needCommitted { resets[topicPartition] = configuration.autoOffsetReset }
        }
        if let unresolvable = resets.first(where: { $0.value == .none }) {
            throw KafkaError(.illegalState, "no committed offset for \(unresolvable.key) and auto_offset_reset is none")
        }
        guard !resets.isEmpty else { return }
        let offsets = try await listOffsets(resets.mapValues { $0 == .earliest ? -2 : -1 })
        for (topicPartition, found) in offsets where subscription.isAssigned(topicPartition) {
            subscription.seek(topicPartition, to: found.offset)
        }
    }

    /// ListOffsets at each partition's leader: timestamps -2 (earliest), -1 (latest) or a time.
    func listOffsets(_ timestamps: [TopicPartition: Int64]) async throws(KafkaError) -> [TopicPartition: (offset: Int64, timestamp: Int64)]
    {
        var result: [TopicPartition: (offset: Int64, timestamp: Int64)] = [:]
        var remaining = timestamps
        var attempts = 0
        while !remaining.isEmpty {
            attempts += 1
            var byLeader: [Int32: [TopicPartition: Int64]] = [:]
            for topic in Set(remaining.keys.map(\.topic)) {
                let metadata = try await cluster.topic(topic, deadline: .now + .milliseconds(configuration.requestTimeoutMs))
                for (topicPartition, timestamp) in remaining where topicPartition.topic == topic {
                    guard let partition = metadata.partitions.first(where: { $0.id == topicPartition.partition }) else {
                        throw KafkaError.broker(.unknownTopicOrPartition, "list offsets of \(topicPartition)")!
                    }
                    byLeader[partition.leader, default: [:]][topicPartition] = timestamp
                }
            }
            var retriable: KafkaError?
            for (leader, partitions) in byLeader {
                let request = ListOffsetsRequest(
                    replicaId: -1, isolationLevel: configuration.isolationLevel.rawValue,
                    topics: Dictionary(grouping: partitions, by: \.key.topic).map { topic, entries in
                        .init(name: topic, partitions: entries.map { .init(partitionIndex: $0.key.partition, timestamp: $0.value) })
                    })
                let response: ListOffsetsResponse
                do {
                    response = try await cluster.connection(toNode: leader).send(request)
                } catch {
                    guard error.isRetriable else { throw error }
                    retriable = error
                    continue
                }
                for topic in response.topics {
                    for partition in topic.partitions {
                        let topicPartition = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                        if let error = KafkaError.broker(code: partition.errorCode, "list offsets of \(topicPartition)") {
                            guard error.isRetriable else { throw error }
                            retriable = error
                            await cluster.invalidate(topic: topic.name)
                            continue
                        }
                        result[topicPartition] = (partition.offset, partition.timestamp)
                        remaining[topicPartition] = nil
                    }
                }
            }
            if let retriable, !remaining.isEmpty {
                guard attempts < 5 else { throw retriable }
                try await sleep(until: .now + .milliseconds(configuration.retryBackoffMs))
            }
        }
        return result
    }

    func position(_ topicPartition: TopicPartition) async throws(KafkaError) -> Int64 {
        guard subscription.isAssigned(topicPartition) else {
            throw KafkaError(.illegalState, "\(topicPartition) is not assigned to this consumer")
        }
        try await updatePositions()
        guard let position = subscription.position(of: topicPartition) else {
            throw KafkaError(.illegalState, "no position for \(topicPartition)")
        }
        return position
    }

    func seek(_ topicPartition: TopicPartition, to offset: Int64) throws(KafkaError) {
        guard subscription.isAssigned(topicPartition) else {
            throw KafkaError(.illegalState, "\(topicPartition) is not assigned to this consumer")
        }
        subscription.seek(topicPartition, to: offset)
        buffered[topicPartition] = nil
    }

    func seek(_ partitions: [TopicPartition], to reset: KafkaAutoOffsetReset) throws(KafkaError) {
        let partitions = partitions.isEmpty ? Array(subscription.assignment) : partitions
        for topicPartition in partitions {
            guard subscription.isAssigned(topicPartition) else {
                throw KafkaError(.illegalState, "\(topicPartition) is not assigned to this consumer")
            }
            subscription.requestReset(topicPartition, to: reset)
            buffered[topicPartition] = nil
        }
    }

    func setPaused(_ partitions: [TopicPartition], _ paused: Bool) {
        for topicPartition in partitions { subscription.setPaused(topicPartition, paused) }
    }

    var paused: Set<TopicPartition> { subscription.paused }

    func highWatermark(_ topicPartition: TopicPartition) -> Int64? {
        subscription.partitions[topicPartition]?.highWatermark
    }

    // MARK: - Offsets

    /// Where the consumer stands in its group, for a transactional producer's
    /// `sendOffsetsToTransaction`: generation -1 and no member id while it is not a member.
    func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata {
        guard let groupId = configuration.groupId else {
            throw KafkaError(.illegalState, "group metadata needs a group_id")
        }
        var metadata = KafkaConsumerGroupMetadata(groupId: groupId, groupInstanceId: configuration.groupInstanceId)
        if subscription.mode != .manual, let generation = group?.committingGeneration {
            metadata.generationId = generation.generationId
            metadata.memberId = generation.memberId
        }
        return metadata
    }

    func committed(_ partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: OffsetAndMetadata] {
        guard group != nil else { throw KafkaError(.illegalState, "committed offsets need a group_id") }
        return try await fetchCommitted(partitions)
    }

    private func fetchCommitted(_ partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: OffsetAndMetadata] {
        guard let groupId = configuration.groupId else { return [:] }
        let connection = try await coordinatorConnection()
        do {
            return try await OffsetFetcher.fetch(groupId: groupId, partitions: partitions, from: connection)
        } catch {
            if error.code != .broker { coordinator = nil }
            throw error
        }
    }

    /// Commits `offsets`, or the positions of every assigned partition for nil (OffsetCommit).
    func commit(_ offsets: [TopicPartition: OffsetAndMetadata]?) async throws(KafkaError) {
        try checkOpen()
        guard let groupId = configuration.groupId else { throw KafkaError(.illegalState, "commit needs a group_id") }
        let offsets = offsets ?? subscription.consumedOffsets
        guard !offsets.isEmpty else { return }
        // Members of a group commit with their generation; a consumer with assigned partitions
        // commits as a non-member (generation -1), as kafka-python does.
        var generationId: Int32 = -1
        var memberId = ""
        if subscription.mode != .manual, let group {
            guard let generation = group.committingGeneration else {
                throw KafkaError.broker(.rebalanceInProgress, "commit for group \(groupId) while it rebalances")!
            }
            generationId = generation.generationId
            memberId = generation.memberId
        }
        let request = OffsetCommitRequest(
            groupId: groupId, generationIdOrMemberEpoch: generationId, memberId: memberId,
            groupInstanceId: subscription.mode == .manual ? nil : configuration.groupInstanceId, retentionTimeMs: -1,
            topics: Dictionary(grouping: offsets, by: \.key.topic).sorted { $0.key < $1.key }.map { topic, entries in
                .init(
                    name: topic,
                    partitions: entries.sorted { $0.key.partition < $1.key.partition }.map {
                        .init(
                            partitionIndex: $0.key.partition, committedOffset: $0.value.offset,
                            committedLeaderEpoch: $0.value.leaderEpoch, committedMetadata: $0.value.metadata)
                    })
            })
        let connection = try await coordinatorConnection()
        let response: OffsetCommitResponse
        do {
            response = try await connection.send(request)
        } catch {
            coordinator = nil
            throw error
        }
        for topic in response.topics {
            for partition in topic.partitions where partition.errorCode != 0 {
                let code = ErrorCode(rawValue: partition.errorCode)
                group?.commitRefused(code, now: .now())
                if [.notCoordinator, .coordinatorNotAvailable].contains(code) { coordinator = nil }
                throw KafkaError.broker(code, "commit \(topic.name)-\(partition.partitionIndex) for group \(groupId)")!
            }
        }
    }

    /// Sends the commit of `offsets` (the positions now, for nil) in the background and returns;
    /// `callback` gets the committed offsets or the error.
    func commitAsync(
        _ offsets: [TopicPartition: OffsetAndMetadata]?,
        callback: (@Sendable (Result<[TopicPartition: OffsetAndMetadata], KafkaError>) -> Void)?
    ) throws(KafkaError) {
        try checkOpen()
        guard configuration.groupId != nil else { throw KafkaError(.illegalState, "commit needs a group_id") }
        let offsets = offsets ?? subscription.consumedOffsets
        let previous = asyncCommits
        asyncCommits = Task {
            await previous?.value
            do throws(KafkaError) {
                try await self.commit(offsets)
                callback?(.success(offsets))
            } catch {
                if let callback { callback(.failure(error)) } else { logger.warning("commitAsync failed: \(error)") }
            }
        }
    }

    private func maybeAutoCommit() async {
        guard configuration.enableAutoCommit, configuration.groupId != nil, ContinuousClock.now >= nextAutoCommit else { return }
        nextAutoCommit = .now + .milliseconds(configuration.autoCommitIntervalMs)
        do {
            try await commit(nil)
        } catch {
            logger.warning("auto-commit failed: \(error)")
        }
    }

    // MARK: - Group membership

    private func coordinatorConnection() async throws(KafkaError) -> BrokerConnection {
        if let coordinator, coordinator.isActive { return coordinator }
        guard let groupId = configuration.groupId else { throw KafkaError(.illegalState, "no group_id") }
        let connection = try await cluster.coordinatorConnection(
            forGroup: groupId, deadline: .now + .milliseconds(configuration.requestTimeoutMs))
        coordinator = connection
        return connection
    }

    /// Runs the group's rounds until it is stable, or returns false when `deadline` passes first.
    private func ensureActiveGroup(deadline: ContinuousClock.Instant) async throws(KafkaError) -> Bool {
        guard subscription.mode != .manual, var action = group?.poll(now: .now()) else { return true }
        while true {
            switch action {
            case .none:
                try throwRebalanceListenerError()
                return true
            case .wait(let until):
                let wakeUp = ContinuousClock.now + .nanoseconds(max(0, until.uptimeNanoseconds - NIODeadline.now().uptimeNanoseconds))
                guard wakeUp < deadline else {
                    try throwRebalanceListenerError()
                    return false
                }
                try await sleep(until: wakeUp)
                action = group?.poll(now: .now()) ?? .none
            case .fail(let error):
                throw error
            default:
                action = await run(action)
            }
        }
    }

    /// Runs one I/O action of the group state machine and returns its next action.
    @discardableResult
    private func run(_ action: ConsumerGroupStateMachine.Action) async -> ConsumerGroupStateMachine.Action {
        switch action {
        case .none, .wait, .fail, .heartbeat:
            return action
        case .findCoordinator:
            do {
                _ = try await coordinatorConnection()
                return group?.coordinatorFound(now: .now()) ?? .none
            } catch {
                // No broker answered within bootstrap_timeout_ms and none ever did: the address is
                // wrong or the cluster is down, so poll says so instead of returning nothing forever.
                if error.code == .connectionFailed, await !cluster.hasReachedABroker { return .fail(error) }
                logger.warning("no coordinator for group \(configuration.groupId ?? ""): \(error)")
                return group?.coordinatorUnavailable(now: .now()) ?? .none
            }
        case .revoke(let partitions, let commit):
            if commit, configuration.enableAutoCommit {
                let offsets = subscription.consumedOffsets.filter { partitions.contains($0.key) }
                do { try await self.commit(offsets) } catch { logger.warning("commit before rebalance failed: \(error)") }
            }
            await notifyRebalanceListener(commit ? .revoked : .lost, partitions)
            subscription.assign([])
            buffered = [:]
            return group?.revoked(now: .now()) ?? .none
        case .joinGroup(let request):
            // The coordinator holds JoinGroup until every member rejoined, up to the rebalance timeout.
            let timeout = TimeAmount.milliseconds(Int64(configuration.maxPollIntervalMs) + Int64(configuration.requestTimeoutMs))
            guard let response = await sendToCoordinator(request, timeout: timeout) else {
                return group?.coordinatorUnavailable(now: .now()) ?? .none
            }
            return group?.joinGroupResponded(response, now: .now()) ?? .none
        case .fetchPartitionCounts(let topics):
            do {
                let metadata = try await cluster.refreshMetadata(topics: topics)
                var counts: [String: Int32] = [:]
                for topic in topics {
                    if let partitions = metadata.topics[topic]?.partitions, !partitions.isEmpty { counts[topic] = Int32(partitions.count) }
                }
                return group?.partitionCountsReceived(counts, now: .now()) ?? .none
            } catch {
                return group?.partitionCountsUnavailable(now: .now()) ?? .none
            }
        case .syncGroup(let request):
            guard let response = await sendToCoordinator(request, timeout: nil) else {
                return group?.coordinatorUnavailable(now: .now()) ?? .none
            }
            return group?.syncGroupResponded(response, now: .now()) ?? .none
        case .assign(let partitions):
            logger.info("assigned \(partitions.map(\.description).joined(separator: ", "))")
            subscription.assign(partitions)
            buffered = buffered.filter { subscription.isAssigned($0.key) }
            await notifyRebalanceListener(.assigned, partitions)
            return group?.poll(now: .now()) ?? .none
        case .leaveGroup(let request):
            if let response = await sendToCoordinator(request, timeout: nil), response.errorCode != 0 {
                logger.debug("LeaveGroup answered \(ErrorCode(rawValue: response.errorCode))")
            }
            return .none
        }
    }

    private func sendToCoordinator<Request: KafkaRequestMessage>(_ request: Request, timeout: TimeAmount?) async -> Request.Response? {
        do {
            return try await coordinatorConnection().send(request, timeout: timeout)
        } catch {
            logger.debug("\(Request.apiKey) to the coordinator failed: \(error)")
            coordinator = nil
            return nil
        }
    }

    /// The background heartbeat loop: runs while the consumer is subscribed and open.
    private func sendHeartbeats() async {
        while !Task.isCancelled, !isClosed, let action = group?.heartbeatTimerFired(now: .now()) {
            switch action {
            case .heartbeat(let request):
                if let response = await sendToCoordinator(request, timeout: nil) {
                    group?.heartbeatResponded(ErrorCode(rawValue: response.errorCode), now: .now())
                } else {
                    group?.heartbeatFailed(now: .now())
                }
            case .wait(let until):
                let delay = max(0, Int64(until.uptimeNanoseconds) - Int64(NIODeadline.now().uptimeNanoseconds))
                do { try await Task.sleep(for: .nanoseconds(delay)) } catch { return }
            default:
                do { try await Task.sleep(for: .milliseconds(configuration.heartbeatIntervalMs)) } catch { return }
            }
        }
    }

    /// Pattern subscriptions follow the topics that exist: checked on subscribe and then every
    /// `metadata_max_age_ms`.
    private func refreshPatternSubscription() async throws(KafkaError) {
        guard case .pattern(let pattern) = subscription.mode else { return }
        if let checkedAt = patternCheckedAt, checkedAt + .milliseconds(configuration.metadataMaxAgeMs) > .now { return }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern)
        } catch {
            throw KafkaError.invalidConfiguration("subscription pattern '\(pattern)' is not a regular expression: \(error)")
        }
        let metadata = try await cluster.refreshMetadata(topics: nil)
        let topics = metadata.topics.values.filter { topic in
            !(configuration.excludeInternalTopics && topic.isInternal) && (try? regex.prefixMatch(in: topic.name)) != nil
        }.map(\.name)
        patternCheckedAt = .now
        group?.subscribed(to: topics, now: .now())
    }

    // MARK: - Close

    /// Commits (when auto-commit is on and `autocommit` is true), leaves the group and closes.
    func close(autocommit: Bool) async {
        guard !isClosed else { return }
        await asyncCommits?.value
        if autocommit, configuration.enableAutoCommit, configuration.groupId != nil, subscription.mode != .none {
            do { try await commit(nil) } catch { logger.warning("commit on close failed: \(error)") }
        }
        await revokeBeforeLeaving()
        heartbeatTask?.cancel()
        if subscription.mode != .manual, let action = group?.leave(closing: true) { await run(action) }
        isClosed = true
        buffered = [:]
        await cluster.close()
    }

    // MARK: - Rebalance listener

    /// Runs the listener's method for a rebalance step; keeps the first error for `poll` to throw.
    private func notifyRebalanceListener(_ event: BoundRebalanceListener.Event, _ partitions: [TopicPartition]) async {
        guard let rebalanceListener else { return }
        do throws(KafkaError) {
            try await rebalanceListener.notify(event, partitions)
        } catch {
            logger.warning("the rebalance listener failed on \(event) \(partitions.map(\.description).joined(separator: ", ")): \(error)")
            if rebalanceListenerError == nil { rebalanceListenerError = error }
        }
    }

    private func throwRebalanceListenerError() throws(KafkaError) {
        guard let error = rebalanceListenerError else { return }
        rebalanceListenerError = nil
        throw error
    }

    /// Before LeaveGroup: the partitions still owned are revoked (or lost, when the generation is
    /// gone), so that a listener commits what it processed.
    private func revokeBeforeLeaving() async {
        guard subscription.mode != .manual, let group, !group.assignment.isEmpty else { return }
        await notifyRebalanceListener(group.committingGeneration != nil ? .revoked : .lost, group.assignment)
        rebalanceListenerError = nil
    }

    private func checkOpen() throws(KafkaError) {
        if isClosed { throw KafkaError.shutdown("the consumer") }
    }

    private func sleep(until instant: ContinuousClock.Instant) async throws(KafkaError) {
        do { try await Task.sleep(until: instant) } catch { throw KafkaError(.shutdown, "the consumer's task was cancelled") }
    }
}
