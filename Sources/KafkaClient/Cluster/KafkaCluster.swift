import KafkaProtocol
import Logging
import NIOCore

/// The client's view of the cluster: one connection per broker address (opened on demand, reopened
/// with backoff after a failure) and the metadata cache. Producer, consumer and admin each own one.
/// An actor, since connections and metadata are shared by the tasks of a client; requests
/// themselves run on the connections, outside the actor.
actor KafkaCluster {
    private enum Slot {
        case connecting(Task<Result<BrokerConnection, KafkaError>, Never>)
        case connected(BrokerConnection)
    }

    private let configuration: ClusterConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var slots: [BrokerAddress: Slot] = [:]
    private var backoffs: [BrokerAddress: ReconnectBackoff] = [:]
    private var notBefore: [BrokerAddress: ContinuousClock.Instant] = [:]
    private var isClosed = false
    private(set) var metadata = ClusterMetadata()
    /// Whether any connection ever succeeded: until one does, failing to connect means a wrong
    /// address or a broker that is down, which the first operation reports rather than retries.
    private(set) var hasReachedABroker = false
    private var topicsFetchedAt: [String: ContinuousClock.Instant] = [:]

    init(configuration: ClusterConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    // MARK: - Connections

    /// The connection to `address`, opening it if needed. After a failed attempt the next one
    /// waits out the reconnect backoff.
    func connection(to address: BrokerAddress) async throws(KafkaError) -> BrokerConnection {
        try checkOpen()
        if let existing = try await existingConnection(to: address) { return existing }
        if let wait = notBefore[address], wait > .now {
            do { try await Task.sleep(until: wait) } catch { throw KafkaError.shutdown("the client's task") }
            try checkOpen()
            // Another task may have connected meanwhile (actor reentrancy).
            if let existing = try await existingConnection(to: address) { return existing }
        }
        let configuration = configuration.connection
        let eventLoopGroup = eventLoopGroup
        let task = Task { () -> Result<BrokerConnection, KafkaError> in
            do throws(KafkaError) {
                return .success(
                    try await BrokerConnection.connect(to: address, configuration: configuration, eventLoopGroup: eventLoopGroup))
            } catch {
                return .failure(error)
            }
        }
        slots[address] = .connecting(task)
        let result = await task.value
        switch result {
        case .success(let connection):
            guard !isClosed else {
                await connection.close()
                throw KafkaError.shutdown("the client")
            }
            slots[address] = .connected(connection)
            hasReachedABroker = true
            backoffs[address]?.succeeded()
            notBefore[address] = nil
            logger.debug("connected", metadata: ["kafka.broker": "\(address)"])
        case .failure(let error):
            slots[address] = nil
            var backoff =
                backoffs[address]
                ?? ReconnectBackoff(initialMs: self.configuration.reconnectBackoffMs, maximumMs: self.configuration.reconnectBackoffMaxMs)
            notBefore[address] = .now + backoff.failed()
            backoffs[address] = backoff
            logger.warning("connection failed", metadata: ["kafka.broker": "\(address)", "error": "\(error)"])
        }
        return try result.get()
    }

    private func existingConnection(to address: BrokerAddress) async throws(KafkaError) -> BrokerConnection? {
        switch slots[address] {
        case .connected(let connection) where connection.isActive:
            return connection
        case .connecting(let task):
            return try await task.value.get()
        case .connected, nil:
            return nil
        }
    }

    /// The connection to the broker with `nodeId`, refreshing metadata once if the node is unknown.
    func connection(toNode nodeId: Int32) async throws(KafkaError) -> BrokerConnection {
        if metadata.brokers[nodeId] == nil { _ = try await refreshMetadata(topics: []) }
        guard let address = metadata.brokers[nodeId] else {
            throw KafkaError(.broker, "broker \(nodeId) is not in the cluster metadata", errorCode: .brokerNotAvailable)
        }
        return try await connection(to: address)
    }

    /// Any usable connection: an open one if there is one, else the first known broker or bootstrap
    /// server that accepts, trying again with backoff until `bootstrap_timeout_ms` has passed.
    func anyConnection() async throws(KafkaError) -> BrokerConnection {
        let deadline = ContinuousClock.now + .milliseconds(configuration.bootstrapTimeoutMs)
        var failures: [BrokerAddress: KafkaError] = [:]
        while true {
            try checkOpen()
            for slot in slots.values {
                if case .connected(let connection) = slot, connection.isActive { return connection }
            }
            var candidates = Array(metadata.brokers.values).sorted { $0.description < $1.description }
            candidates += configuration.bootstrapServers.filter { !candidates.contains($0) }
            for address in candidates where (notBefore[address] ?? .now) <= .now {
                do {
                    return try await connection(to: address)
                } catch {
                    failures[address] = error
                    // Another broker or another attempt would refuse the same credentials.
                    if error.code == .shutdown || error.code == .authenticationFailed { throw error }
                }
            }
            let now = ContinuousClock.now
            guard now < deadline else {
                let tried = failures.map { "\($0.key): \($0.value.underlying.map { "\($0)" } ?? $0.value.message)" }
                    .sorted().joined(separator: "; ")
                throw KafkaError(
                    .connectionFailed,
                    "could not connect to any of \(candidates.map(\.description).joined(separator: ", ")) within \(configuration.bootstrapTimeoutMs) ms (\(tried))",
                    errorCode: .networkException)
            }
            let nextAttempt = candidates.compactMap { notBefore[$0] }.min() ?? now + .milliseconds(configuration.reconnectBackoffMs)
            do { try await Task.sleep(until: min(max(nextAttempt, now + .milliseconds(1)), deadline)) } catch {
                throw KafkaError.shutdown("the client's task")
            }
        }
    }

    /// Drops a connection that failed so that the next request opens a new one.
    func connectionFailed(_ connection: BrokerConnection) async {
        if case .connected(let current) = slots[connection.address], current === connection {
            slots[connection.address] = nil
        }
        await connection.close()
    }

    // MARK: - Metadata

    /// Asks a broker for metadata: `topics` nil for every topic, empty for brokers only.
    /// Retries on another connection when one fails, within `bootstrap_timeout_ms`.
    @discardableResult
    func refreshMetadata(topics: [String]?) async throws(KafkaError) -> ClusterMetadata {
        let request = MetadataRequest(
            topics: topics.map { $0.map { MetadataRequest.MetadataRequestTopic(name: $0) } },
            allowAutoTopicCreation: configuration.allowAutoCreateTopics)
        var attempts = 0
        while true {
            let connection = try await anyConnection()
            do {
                let response = try await connection.send(request)
                metadata.update(with: response, requestedTopics: topics)
                let now = ContinuousClock.now
                for topic in response.topics { if let name = topic.name { topicsFetchedAt[name] = now } }
                return metadata
            } catch {
                attempts += 1
                guard error.isRetriable, error.code != .broker, attempts < 3 else { throw error }
                await connectionFailed(connection)
            }
        }
    }

    /// The topic's metadata, from the cache when it is younger than `metadata_max_age_ms` and
    /// usable, else from a broker. Waits while the broker reports a retriable topic error (a topic
    /// being created) until `deadline`, then throws that error.
    func topic(_ name: String, deadline: ContinuousClock.Instant) async throws(KafkaError) -> ClusterMetadata.Topic {
        if let cached = metadata.topics[name], cached.error == .noError, !cached.partitions.isEmpty,
            let fetchedAt = topicsFetchedAt[name], fetchedAt + .milliseconds(configuration.metadataMaxAgeMs) > .now
        {
            return cached
        }
        while true {
            let topic = try await refreshMetadata(topics: [name]).topics[name]
            let error = topic?.error ?? .unknownTopicOrPartition
            if error == .noError, let topic, !topic.partitions.isEmpty { return topic }
            let failure = KafkaError(.broker, "topic \(name): \(error.defaultMessage)", errorCode: error)
            let nextAttempt = ContinuousClock.now + .milliseconds(configuration.retryBackoffMs)
            guard error.isRetriable || error == .noError, nextAttempt < deadline else { throw failure }
            do { try await Task.sleep(until: nextAttempt) } catch { throw KafkaError.shutdown("the client's task") }
        }
    }

    /// Forgets a topic's metadata after an error that says it is stale.
    func invalidate(topic: String) {
        metadata.invalidate(topic: topic)
        topicsFetchedAt[topic] = nil
    }

    /// The connection to the cluster's controller, where topic administration goes.
    func controllerConnection() async throws(KafkaError) -> BrokerConnection {
        let controller = try await refreshMetadata(topics: []).controllerId
        guard let controller else {
            // A broker that reports no controller (-1) still accepts admin requests in practice.
            return try await anyConnection()
        }
        return try await connection(toNode: controller)
    }

    // MARK: - Coordinators

    /// The connection to the coordinator of `groupId` (FindCoordinator), waiting while the broker
    /// answers COORDINATOR_NOT_AVAILABLE or another retriable error, until `deadline`.
    func coordinatorConnection(forGroup groupId: String, deadline: ContinuousClock.Instant) async throws(KafkaError) -> BrokerConnection {
        try await coordinator(key: groupId, keyType: 0, describedAs: "group \(groupId)", deadline: deadline).connection
    }

    /// The connection to the transaction coordinator of `transactionalId` (FindCoordinator with
    /// key type TRANSACTION) and its node id, waiting as `coordinatorConnection(forGroup:deadline:)` does.
    func coordinator(forTransactionalId transactionalId: String, deadline: ContinuousClock.Instant) async throws(KafkaError)
        -> (nodeId: Int32, connection: BrokerConnection)
    {
        try await coordinator(key: transactionalId, keyType: 1, describedAs: "transactional id \(transactionalId)", deadline: deadline)
    }

    private func coordinator(
        key: String, keyType: Int8, describedAs subject: String, deadline: ContinuousClock.Instant
    ) async throws(KafkaError) -> (nodeId: Int32, connection: BrokerConnection) {
        while true {
            let connection = try await anyConnection()
            let version = try connection.apiVersions.version(for: FindCoordinatorRequest.self)
            guard keyType == 0 || version >= 1 else {
                throw KafkaError(.unsupportedVersion, "the broker has no FindCoordinator for transactions (version \(version))")
            }
            // v0-3 carry one key, v4+ a list; the encoder writes the field its version has.
            let response = try await connection.send(
                FindCoordinatorRequest(key: key, keyType: keyType, coordinatorKeys: [key]), version: version)
            let found: (error: Int16, message: String?, nodeId: Int32, host: String, port: Int32)
            if version >= 4 {
                guard let coordinator = response.coordinators.first(where: { $0.key == key }) else {
                    throw KafkaError(.protocolViolation, "FindCoordinator response without \(subject)")
                }
                found = (coordinator.errorCode, coordinator.errorMessage, coordinator.nodeId, coordinator.host, coordinator.port)
            } else {
                found = (response.errorCode, response.errorMessage, response.nodeId, response.host, response.port)
            }
            if let error = KafkaError.broker(code: found.error, "FindCoordinator for \(subject)", brokerMessage: found.message) {
                let nextAttempt = ContinuousClock.now + .milliseconds(configuration.retryBackoffMs)
                guard error.isRetriable, nextAttempt < deadline else { throw error }
                do { try await Task.sleep(until: nextAttempt) } catch { throw KafkaError.shutdown("the client's task") }
                continue
            }
            return (found.nodeId, try await self.connection(to: BrokerAddress(host: found.host, port: Int(found.port))))
        }
    }

    // MARK: - Close

    /// A cluster dropped without `close()` (its client was dropped) still closes its sockets.
    deinit {
        for slot in slots.values {
            if case .connected(let connection) = slot { connection.closeWithoutWaiting() }
        }
    }

    func close() async {
        isClosed = true
        let slots = self.slots
        self.slots = [:]
        for slot in slots.values {
            switch slot {
            case .connected(let connection):
                await connection.close()
            case .connecting(let task):
                if case .success(let connection) = await task.value { await connection.close() }
            }
        }
    }

    private func checkOpen() throws(KafkaError) {
        if isClosed { throw KafkaError.shutdown("the client") }
    }
}
