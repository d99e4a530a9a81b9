import KafkaProtocol
import KafkaRecords
import KafkaStorage
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The Kafka-compatible broker: listens on every configured listener (PLAINTEXT, SSL, SASL_PLAINTEXT,
/// SASL_SSL) and answers Kafka requests.
///
/// Run it as a `Service` (the `samsa broker` command runs it in a ServiceGroup that turns
/// SIGTERM/SIGINT into a graceful shutdown) or call `run()` directly. A graceful shutdown stops
/// accepting connections, lets every connection finish the request it is handling, and then
/// closes the storage cleanly.
public final class Broker: Service, Sendable {
    public let configuration: BrokerConfiguration
    let logger: Logger
    let state: BrokerState
    let coordinator: GroupCoordinator
    let transactions: TransactionCoordinator
    /// Read-only views of topics, logs, groups and traffic, for the console and metrics exporters.
    public let inspector: BrokerInspector
    private let router: ApiRouter
    /// What a SASL listener accepts; nil when the listener has no SASL.
    /// Per SASL_PLAINTEXT or SASL_SSL listener name, what its connections must log in with.
    private let saslSettings: [String: SaslServerSession.Settings]
    private let eventLoopGroup: any EventLoopGroup
    private let connections: ConnectionRegistry
    private let listeners: [ServedListener]
    private let listening = Mutex<ListeningState>(.starting([]))
    /// How often the state gauges are refreshed for metrics backends that nobody scrapes (an
    /// exporter that is scraped refreshes them itself before each read).
    private static let metricsRefreshInterval = Duration.seconds(10)

    /// What the listener hands on for each accepted connection.
    private enum AcceptedConnection: Sendable {
        case admitted(id: UInt64, channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, backlog: ResponseBacklog)
        /// Beyond `max.connections` or `max.connections.per.ip`: closed already.
        case rejected
    }

    private enum ListeningState {
        case starting([CheckedContinuation<SocketAddress, any Error>])
        case listening(SocketAddress)
        case failed(any Error)
    }

    /// Opens (and if needed recovers) the data folder; the listener starts with `run()`.
    ///
    /// - Parameter metricsFactory: where the broker's metrics go; by default the process-wide
    ///   `MetricsSystem` (which discards them unless bootstrapped).
    public convenience init(
        configuration: BrokerConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        let limits = DescriptorLimit.raiseSoftLimitToHard()
        let fileSystem = PosixFileSystem()
        let raised = limits.after.soft > limits.before.soft ? " (raised from \(limits.before.soft))" : ""
        logger.info(
            "Open-file limit \(limits.after.soft)\(raised); log files keep at most \(fileSystem.maximumOpenFiles) descriptors open")
        try self.init(
            configuration: configuration, logger: logger, eventLoopGroup: eventLoopGroup, logFileSystem: fileSystem,
            metricsFactory: metricsFactory)
    }

    /// A broker whose partition logs live on `logFileSystem`, for tests that inject storage
    /// faults with `InMemoryFileSystem`. The small files beside the logs (meta.properties, the
    /// producer id block, topic settings) stay on the real disk in `log.dirs`.
    init(
        configuration: BrokerConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logFileSystem: any LogFileSystem, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        let startTimeMs = WallClock.milliseconds()
        let startInstant = ContinuousClock.now
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        // Before the data folder is opened: a keystore that does not load stops start-up at once.
        listeners = try configuration.listeners.map { try ServedListener($0, configuration: configuration) }
        for setting in configuration.settingsDifferingFromDefaults {
            logger.info("Setting \(setting.key)=\(setting.value) (default: \(setting.defaultValue))")
        }
        for unavailable in CompressionCodecRegistry.builtIn.unavailableCodecs {
            logger.warning("\(unavailable); produce requests with \(unavailable.codec) get UNSUPPORTED_COMPRESSION_TYPE")
        }
        let state = try BrokerState(
            configuration: configuration, logger: logger, logFileSystem: logFileSystem, metricsFactory: metricsFactory)
        self.state = state
        self.connections = ConnectionRegistry(limits: { ConnectionLimits(configuration: state.configuration) })
        state.metrics.recordStartup(
            version: SamsaVersion.current, nodeId: configuration.nodeId, clusterId: state.clusterId, startTimeMs: startTimeMs,
            recoveryDuration: state.logManager.loadDuration)
        let offsets = OffsetStore(state: state)
        let transactionStore = TransactionTopicStore(state: state)
        let transactions = try TransactionCoordinator(state: state, store: transactionStore, offsets: offsets)
        self.transactions = transactions
        var router = ApiRouter(metrics: state.metrics)
        router.register(MetadataHandler(state: state))
        router.register(ProduceHandler(state: state, transactions: transactions))
        router.register(FetchHandler(state: state))
        router.register(ListOffsetsHandler(state: state))
        router.register(InitProducerIdHandler(state: state, transactions: transactions))
        router.register(CreateTopicsHandler(state: state))
        router.register(DeleteTopicsHandler(state: state))
        router.register(CreatePartitionsHandler(state: state))
        router.register(DescribeConfigsHandler(state: state))
        router.register(AlterConfigsHandler(state: state))
        router.register(IncrementalAlterConfigsHandler(state: state))
        router.register(DescribeClusterHandler(state: state))
        router.register(DeleteRecordsHandler(state: state))
        router.register(DescribeLogDirsHandler(state: state))
        let scramCredentials = try ScramCredentialStore(dataDirectory: configuration.logDirectory)
        var saslSettings: [String: SaslServerSession.Settings] = [:]
        for listener in configuration.listeners {
            saslSettings[listener.name] = try configuration.saslSessionSettings(for: listener) {
                scramCredentials.credential(user: $0, mechanism: $1)
            }
        }
        self.saslSettings = saslSettings
        router.register(SaslHandshakeHandler())
        router.register(SaslAuthenticateHandler())
        router.register(DescribeUserScramCredentialsHandler(state: state, store: scramCredentials))
        router.register(AlterUserScramCredentialsHandler(state: state, store: scramCredentials, logger: logger))
        router.register(CreateAclsHandler(state: state))
        router.register(DescribeAclsHandler(state: state))
        router.register(DeleteAclsHandler(state: state))
        // Kafka creates __consumer_offsets at the first FindCoordinator; creating it up front keeps
        // that first consumer's join (which kafka-python counts against consumer_timeout_ms) short.
        _ = try offsets.offsetsTopic()
        let coordinator = GroupCoordinator(configuration: configuration, offsets: offsets, metrics: state.metrics, logger: logger)
        coordinator.load(try offsets.replay())
        self.coordinator = coordinator
        router.register(FindCoordinatorHandler(state: state, offsets: offsets, transactionStore: transactionStore))
        router.register(AddPartitionsToTxnHandler(state: state, transactions: transactions))
        router.register(AddOffsetsToTxnHandler(state: state, transactions: transactions))
        router.register(EndTxnHandler(state: state, transactions: transactions))
        router.register(TxnOffsetCommitHandler(state: state, transactions: transactions, offsets: offsets))
        router.register(DescribeTransactionsHandler(state: state, transactions: transactions))
        router.register(ListTransactionsHandler(state: state, transactions: transactions))
        router.register(JoinGroupHandler(state: state, coordinator: coordinator))
        router.register(SyncGroupHandler(state: state, coordinator: coordinator))
        router.register(HeartbeatHandler(state: state, coordinator: coordinator))
        router.register(LeaveGroupHandler(state: state, coordinator: coordinator))
        router.register(OffsetCommitHandler(state: state, coordinator: coordinator))
        router.register(OffsetFetchHandler(state: state, coordinator: coordinator))
        router.register(ListGroupsHandler(state: state, coordinator: coordinator))
        router.register(DescribeGroupsHandler(state: state, coordinator: coordinator))
        router.register(DeleteGroupsHandler(state: state, coordinator: coordinator))
        router.register(OffsetDeleteHandler(state: state, coordinator: coordinator))
        self.router = router
        inspector = BrokerInspector(
            state: state, coordinator: coordinator, connections: connections, metrics: state.metrics, startTimeMs: startTimeMs,
            startInstant: startInstant)
    }

    /// The address the broker listens on, once it does (port 0 in the configuration picks a free one).
    public func listeningAddress() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<SocketAddress, any Error>? = listening.withLock { state in
                switch state {
                case .starting(var waiters):
                    waiters.append(continuation)
                    state = .starting(waiters)
                    return nil
                case .listening(let address): return .success(address)
                case .failed(let error): return .failure(error)
                }
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    private func finishStarting(_ result: Result<SocketAddress, any Error>) {
        let waiters = listening.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
            guard case .starting(let waiters) = state else { return [] }
            switch result {
            case .success(let address): state = .listening(address)
            case .failure(let error): state = .failed(error)
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    public func run() async throws {
        let serverChannels: [(listener: ServedListener, channel: NIOAsyncChannel<AcceptedConnection, Never>)]
        do {
            serverChannels = try await bindListeners()
        } catch {
            closeStorage()
            finishStarting(.failure(error))
            throw error
        }
        for exposed in listeners where exposed.isExposedPlaintext && !configuration.authorizerEnabled {
            logger.warning(
                "Listener \(exposed.listener) accepts unencrypted, unauthenticated connections from the network and no authorizer is set (authorizer.class.name): anyone who reaches it can read and write every topic"
            )
        }
        let bound = state.boundListeners.map(\.description).joined(separator: ", ")
        logger.info("Samsa broker \(configuration.nodeId) listening on \(bound), data in \(configuration.logDirectory)")
        finishStarting(serverChannels.first?.channel.channel.localAddress.map { .success($0) } ?? .failure(ListenerBindingError.noAddress))

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await cancelWhenGracefulShutdown { await self.runLogMaintenance() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runLogCleaner() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runOffsetExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runTransactionExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runIdleConnectionExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runMetricsRefresh() } }
                for (listener, serverChannel) in serverChannels {
                    group.addTask { await self.acceptConnections(on: serverChannel, listener: listener) }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("Shutting down: no new connections; finishing requests in flight")
            for (_, serverChannel) in serverChannels { serverChannel.channel.close(promise: nil) }
            self.connections.drain()
        }
        closeStorage()
    }

    /// Why the broker could not listen.
    private enum ListenerBindingError: Error, CustomStringConvertible {
        case noAddress

        var description: String { "the listener has no local address" }
    }

    /// Binds every listener, each on all of its addresses (one port for all of them); on a failure,
    /// closes those already bound.
    private func bindListeners() async throws -> [(listener: ServedListener, channel: NIOAsyncChannel<AcceptedConnection, Never>)] {
        var bound: [(listener: ServedListener, channel: NIOAsyncChannel<AcceptedConnection, Never>)] = []
        for served in listeners {
            var port = served.listener.port
            for (index, host) in served.bindHosts.enumerated() {
                do {
                    let channel = try await bind(served, host: host, port: port)
                    if index == 0 {
                        port = channel.channel.localAddress?.port ?? port
                        state.listenerBound(name: served.listener.name, port: port)
                    }
                    bound.append((served, channel))
                } catch  where index > 0 {
                    // ::1 for `localhost` on a machine without IPv6 loopback: 127.0.0.1 still serves.
                    logger.debug("Listener \(served.listener.name) not bound on \(host):\(port): \(error)")
                } catch {
                    logger.error("Cannot listen on \(served.listener): \(error)")
                    for (_, channel) in bound { try? await channel.channel.close() }
                    throw error
                }
            }
        }
        return bound
    }

    private func bind(_ served: ServedListener, host: String, port: Int) async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let maximumFrameSize = Int(configuration.socketRequestMaxBytes)
        let queuedResponseMaxBytes = max(2, configuration.queuedResponseMaxBytes)
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // As Kafka: the kernel eventually notices a peer that vanished without a FIN.
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            // Matches the response backlog's cap (see `ResponseBacklog`), so that NIO's own
            // write buffering holds no more than the broker lets a connection queue.
            .childChannelOption(
                .writeBufferWaterMark, value: .init(low: queuedResponseMaxBytes / 2, high: queuedResponseMaxBytes)
            )
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.accept(
                        channel, listener: served, maximumFrameSize: maximumFrameSize, queuedResponseMaxBytes: queuedResponseMaxBytes)
                }
            }
    }

    /// Serves the connections one bound address accepts until it is closed.
    private func acceptConnections(on serverChannel: NIOAsyncChannel<AcceptedConnection, Never>, listener: ServedListener) async {
        await withDiscardingTaskGroup { group in
            do {
                try await serverChannel.executeThenClose { inbound in
                    for try await accepted in inbound {
                        guard case .admitted(let id, let connection, let backlog) = accepted else { continue }
                        group.addTask(executorPreference: EventLoopTaskExecutor(eventLoop: connection.channel.eventLoop)) {
                            await self.serve(connection, id: id, backlog: backlog, listener: listener.listener)
                        }
                    }
                }
            } catch {
                logger.error("Listener \(listener.listener.name) failed: \(error)")
            }
        }
    }

    /// The listeners as bound: a configured port 0 replaced by the port the system chose.
    public func boundListeners() async throws -> [BrokerConfiguration.KafkaListener] {
        _ = try await listeningAddress()
        return state.boundListeners
    }

    /// Re-reads the keystore and truststore of every SSL and SASL_SSL listener, so that new
    /// connections get the current certificate (as Kafka reconfigures its keystore); a listener
    /// whose files do not load keeps its previous certificate. Returns what failed.
    @discardableResult
    public func reloadTLSCertificates() -> [TLSSetupError] {
        var failures: [TLSSetupError] = []
        for served in listeners where served.listener.securityProtocol.usesTLS {
            do {
                try served.reloadTLS()
                logger.info("Listener \(served.listener.name): keystore and truststore re-read; new connections use them")
            } catch {
                logger.error("\(error); listener \(served.listener.name) keeps its previous certificate")
                failures.append(error)
            }
        }
        return failures
    }

    /// Flushes and closes every log and writes the clean-shutdown marker (not when a log failed).
    private func closeStorage() {
        state.flusher.shutdown()
        do {
            try state.logManager.shutdown()
            logger.info("Broker stopped; logs flushed and closed cleanly")
        } catch {
            logger.error("Broker stopped, but closing the logs failed: \(error)")
        }
    }

    /// How many client connections are open.
    var openConnectionCount: Int { connections.count }

    /// How many long-poll fetches are parked waiting for an append.
    var parkedFetchCount: Int { state.appendNotifier.waitingFetchCount }

    /// The response bytes each open connection has not yet written to its socket, to show
    /// that a client that does not read cannot grow them past `queuedResponseMaxBytes`.
    func queuedResponseBytes() async -> [Int] {
        var result: [Int] = []
        for channel in connections.channels {
            if let bytes = try? await channel.getOption(.bufferedWritableBytes).get() { result.append(bytes) }
        }
        return result
    }

    /// Admits a new connection within the connection limits and sets up its pipeline, or closes
    /// it with one log line. Runs on the connection's event loop.
    private func accept(
        _ channel: any Channel, listener: ServedListener, maximumFrameSize: Int, queuedResponseMaxBytes: Int
    ) throws -> AcceptedConnection {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        switch connections.admit(channel, address: address) {
        case .rejected(let reason):
            logger.info("Rejected connection from /\(address): \(reason)")
            state.metrics.recordConnectionRejected()
            channel.close(promise: nil)
            return .rejected
        case .admitted(let id):
            state.metrics.recordConnectionAccepted()
            let backlog = ResponseBacklog(limit: queuedResponseMaxBytes)
            channel.closeFuture.whenComplete { _ in
                self.connections.remove(id)
                backlog.close()
            }
            if let tlsContext = listener.tlsContext {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
            }
            try channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: maximumFrameSize)), ResponseBacklogHandler(backlog: backlog))
            // Requests are handled one at a time per connection, as in Kafka; reading stops while
            // two decoded requests wait, so a client cannot queue more than that in the broker.
            let asyncChannel = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                wrappingChannelSynchronously: channel,
                configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2)))
            return .admitted(id: id, channel: asyncChannel, backlog: backlog)
        }
    }

    /// Closes connections idle for longer than `connections.max.idle.ms`, checking a few times per
    /// that period (at most every second, at least every 10 ms), until shutdown.
    private func runIdleConnectionExpiry() async {
        let maximumIdle = Duration.milliseconds(configuration.connectionsMaxIdleMs)
        let interval = min(max(maximumIdle / 4, .milliseconds(10)), .seconds(1))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            for (id, address) in connections.closeIdleConnections(maximumIdle: maximumIdle) {
                logger.info(
                    "Closing connection \(id) from /\(address): idle for more than connections.max.idle.ms (\(configuration.connectionsMaxIdleMs) ms)"
                )
            }
        }
    }

    /// Expiry of committed offsets every `offsets.retention.check.interval.ms`, until shutdown.
    private func runOffsetExpiry() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(state.configuration.offsetsRetentionCheckIntervalMs))
            } catch {
                return
            }
            await coordinator.expireOffsets(retentionMinutes: state.configuration.offsetsRetentionMinutes)
        }
    }

    /// Completes transactions the last run left prepared (their markers half written), then aborts
    /// timed-out transactions every `transaction.abort.timed.out.transaction.cleanup.interval.ms`.
    private func runTransactionExpiry() async {
        await transactions.completePreparedTransactions()
        while !Task.isCancelled {
            do {
                try await Task.sleep(
                    for: .milliseconds(state.configuration.transactionAbortTimedOutTransactionCleanupIntervalMs))
            } catch {
                return
            }
            await transactions.expireTransactions()
        }
    }

    /// Keeps the state gauges current for metrics backends that are pushed to rather than scraped.
    private func runMetricsRefresh() async {
        while !Task.isCancelled {
            inspector.refreshMetrics()
            do {
                try await Task.sleep(for: Self.metricsRefreshInterval)
            } catch {
                return
            }
        }
    }

    /// Retention and compaction every `log.retention.check.interval.ms`, until shutdown.
    private func runLogMaintenance() async {
        let interval = Duration.milliseconds(state.configuration.logRetentionCheckIntervalMs)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let now = WallClock.milliseconds()
            for topic in state.topics.allTopics() {
                for log in topic.partitions {
                    do {
                        _ = try log.applyRetention(nowMs: now)
                    } catch {
                        logger.error("Retention of \(log.topicPartition) failed: \(error)")
                    }
                }
            }
        }
    }

    /// Kafka's log cleaner: every `log.cleaner.backoff.ms`, each partition of a compacted topic is
    /// compacted when it is due (`PartitionLog.compactIfDue`).
    private func runLogCleaner() async {
        guard state.configuration.logCleanerEnable else { return }
        while !Task.isCancelled {
            do {
                // Read on each round: log.cleaner.backoff.ms is a dynamic broker config.
                try await Task.sleep(for: .milliseconds(max(state.configuration.logCleanerBackoffMs, 1)))
            } catch {
                return
            }
            for topic in state.topics.allTopics() where topic.settings.log.cleanupPolicy.contains(.compact) {
                for log in topic.partitions {
                    do {
                        try log.compactIfDue(nowMs: WallClock.milliseconds())
                    } catch {
                        logger.error("Compaction of \(log.topicPartition) failed: \(error)")
                    }
                }
            }
        }
    }

    private func serve(
        _ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, id: UInt64, backlog: ResponseBacklog,
        listener: BrokerConfiguration.KafkaListener
    ) async {
        let host = "/" + (connection.channel.remoteAddress?.ipAddress ?? "unknown")
        let sasl = saslSettings[listener.name]
        var saslSession = sasl.map(SaslServerSession.init)
        let loginDeadline = sasl.map { closeUnlessAuthenticated(connection.channel, id: id, host: host, within: $0) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var identity: ConnectionIdentity?
                for try await frame in inbound {
                    // The first frame arrives after the TLS handshake, so the peer certificate is known.
                    let current: ConnectionIdentity
                    if let identity {
                        current = identity
                    } else {
                        current = try await identify(connection.channel, id: id, host: host, listener: listener)
                        identity = current
                    }
                    guard
                        try await handle(
                            frame, connectionId: id, host: host, identity: current, saslSession: &saslSession, outbound: outbound,
                            backlog: backlog)
                    else { break }
                    if saslSession?.principal != nil { loginDeadline?.cancel() }
                    // The next request waits while the client leaves too many response bytes unread.
                    await backlog.waitWhileOverLimit()
                }
            }
        } catch let error as ConnectionClosingError {
            logger.info("Closing connection \(id) from \(host): \(error)")
        } catch let error as ProtocolDecodingError {
            logger.info("Closing connection \(id) from \(host): \(error)")
        } catch let error as NIOSSLError {
            logger.info("Closing connection \(id) from \(host) on listener \(listener.name): TLS failed: \(error)")
        } catch let error as BoringSSLError {
            logger.info("Closing connection \(id) from \(host) on listener \(listener.name): TLS failed: \(error)")
        } catch {
            logger.debug("Connection \(id) from \(host) ended: \(error)")
        }
    }

    /// The listener a connection came in on and, on TLS with a client certificate, the principal
    /// the certificate names (`User:<subject DN>`, as Kafka's default principal builder).
    private func identify(
        _ channel: any Channel, id: UInt64, host: String, listener: BrokerConfiguration.KafkaListener
    ) async throws -> ConnectionIdentity {
        var principal = KafkaPrincipal.anonymous
        if listener.securityProtocol.usesTLS, let certificate = try await channel.nioSSL_peerCertificate().get() {
            principal = KafkaPrincipal(certificate: certificate)
            logger.info("Connection \(id) from \(host) on listener \(listener.name) presented a client certificate: principal \(principal)")
        }
        return ConnectionIdentity(listenerName: listener.name, securityProtocol: listener.securityProtocol, principal: principal)
    }

    /// Handles one request frame and hands its response to the connection; false when the broker
    /// is draining and the connection should close instead.
    private func handle(
        _ frame: ByteBuffer, connectionId id: UInt64, host: String, identity: ConnectionIdentity,
        saslSession: inout SaslServerSession?, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, backlog: ResponseBacklog
    ) async throws -> Bool {
        // After a v0 SaslHandshake the next frame is a bare token, not a request.
        let request = saslSession?.expectsRawToken == true ? nil : try KafkaRequestFrame(frame: frame)
        guard connections.beginRequest(id) else { return false }
        defer { connections.endRequest(id) }
        var gate: SaslGateResult?
        if saslSession != nil {
            gate = try passSaslGate(frame, request: request, session: &saslSession!, connectionId: id, host: host)
        }
        let response: ByteBuffer?
        if let gate {
            response = gate.response
        } else if let request {
            // On SASL_SSL a SASL login names the principal, as in Kafka, even with a client certificate.
            let context = RequestContext(
                apiVersion: request.apiVersion, correlationId: request.correlationId, clientId: request.header.clientId,
                clientHost: host, connectionId: id, principal: saslSession?.principal ?? identity.principal,
                listenerName: identity.listenerName, securityProtocol: identity.securityProtocol)
            response = try await router.process(request, context: context)
        } else {
            response = nil
        }
        state.metrics.recordNetwork(receivedBytes: 4 + frame.readableBytes, sentBytes: response?.readableBytes ?? 0)
        connections.finishHandling(id)
        if let response {
            backlog.add(response.readableBytes)
            try await outbound.write(response)
        }
        if let reason = gate?.closeReason { throw ConnectionClosingError(reason: reason) }
        return true
    }
}
