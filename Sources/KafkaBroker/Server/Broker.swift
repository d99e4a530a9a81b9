import KafkaProtocol
import KafkaRecords
import KafkaStorage
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The Kafka-compatible broker: listens on the PLAINTEXT listener and answers Kafka requests.
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
    private let eventLoopGroup: any EventLoopGroup
    private let connections: ConnectionRegistry
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
        try self.init(
            configuration: configuration, logger: logger, eventLoopGroup: eventLoopGroup, logFileSystem: PosixFileSystem(),
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
        self.connections = ConnectionRegistry(limits: ConnectionLimits(configuration: configuration))
        for setting in configuration.settingsDifferingFromDefaults {
            logger.info("Setting \(setting.key)=\(setting.value) (default: \(setting.defaultValue))")
        }
        for unavailable in CompressionCodecRegistry.builtIn.unavailableCodecs {
            logger.warning("\(unavailable); produce requests with \(unavailable.codec) get UNSUPPORTED_COMPRESSION_TYPE")
        }
        let state = try BrokerState(
            configuration: configuration, logger: logger, logFileSystem: logFileSystem, metricsFactory: metricsFactory)
        self.state = state
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
        // Kafka creates __consumer_offsets at the first FindCoordinator; creating it up front keeps
        // that first consumer's join (which kafka-python counts against consumer_timeout_ms) short.
        _ = try offsets.offsetsTopic()
        let coordinator = GroupCoordinator(configuration: configuration, offsets: offsets, metrics: state.metrics, logger: logger)
        coordinator.load(try offsets.replay())
        self.coordinator = coordinator
        router.register(FindCoordinatorHandler(state: state, offsets: offsets, transactionStore: transactionStore))
        router.register(AddPartitionsToTxnHandler(state: state, transactions: transactions))
        router.register(AddOffsetsToTxnHandler(transactions: transactions))
        router.register(EndTxnHandler(transactions: transactions))
        router.register(TxnOffsetCommitHandler(state: state, transactions: transactions, offsets: offsets))
        router.register(DescribeTransactionsHandler(transactions: transactions))
        router.register(ListTransactionsHandler(transactions: transactions))
        router.register(JoinGroupHandler(coordinator: coordinator))
        router.register(SyncGroupHandler(coordinator: coordinator))
        router.register(HeartbeatHandler(coordinator: coordinator))
        router.register(LeaveGroupHandler(coordinator: coordinator))
        router.register(OffsetCommitHandler(state: state, coordinator: coordinator))
        router.register(OffsetFetchHandler(coordinator: coordinator))
        router.register(ListGroupsHandler(coordinator: coordinator))
        router.register(DescribeGroupsHandler(coordinator: coordinator))
        router.register(DeleteGroupsHandler(coordinator: coordinator))
        router.register(OffsetDeleteHandler(coordinator: coordinator))
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
        let maximumFrameSize = Int(configuration.socketRequestMaxBytes)
        let queuedResponseMaxBytes = max(2, configuration.queuedResponseMaxBytes)
        let serverChannel: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            serverChannel = try await ServerBootstrap(group: eventLoopGroup)
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
                .bind(host: configuration.listener.host, port: configuration.listener.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try self.accept(channel, maximumFrameSize: maximumFrameSize, queuedResponseMaxBytes: queuedResponseMaxBytes)
                    }
                }
        } catch {
            logger.error("Cannot listen on \(configuration.listener): \(error)")
            closeStorage()
            finishStarting(.failure(error))
            throw error
        }
        guard let address = serverChannel.channel.localAddress else {
            let error = ConnectionClosingError(reason: "the listener has no local address")
            finishStarting(.failure(error))
            throw error
        }
        state.listenerBound(port: address.port ?? configuration.listener.port)
        logger.info(
            "Samsa broker \(configuration.nodeId) listening on PLAINTEXT://\(configuration.listener.host):\(address.port ?? 0), data in \(configuration.logDirectory)"
        )
        finishStarting(.success(address))

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await cancelWhenGracefulShutdown { await self.runLogMaintenance() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runOffsetExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runTransactionExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runIdleConnectionExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runMetricsRefresh() } }
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await accepted in inbound {
                            guard case .admitted(let id, let connection, let backlog) = accepted else { continue }
                            group.addTask(executorPreference: EventLoopTaskExecutor(eventLoop: connection.channel.eventLoop)) {
                                await self.serve(connection, id: id, backlog: backlog)
                            }
                        }
                    }
                } catch {
                    logger.error("Listener failed: \(error)")
                }
            }
        } onGracefulShutdown: {
            self.logger.info("Shutting down: no new connections; finishing requests in flight")
            serverChannel.channel.close(promise: nil)
            self.connections.drain()
        }
        closeStorage()
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
    private func accept(_ channel: any Channel, maximumFrameSize: Int, queuedResponseMaxBytes: Int) throws -> AcceptedConnection {
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
                        _ = try log.compact(nowMs: now)
                    } catch {
                        logger.error("Retention of \(log.topicPartition) failed: \(error)")
                    }
                }
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, id: UInt64, backlog: ResponseBacklog) async {
        let host = "/" + (connection.channel.remoteAddress?.ipAddress ?? "unknown")
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    guard try await handle(frame, connectionId: id, host: host, outbound: outbound, backlog: backlog) else { break }
                    // The next request waits while the client leaves too many response bytes unread.
                    await backlog.waitWhileOverLimit()
                }
            }
        } catch let error as ConnectionClosingError {
            logger.info("Closing connection \(id) from \(host): \(error)")
        } catch let error as ProtocolDecodingError {
            logger.info("Closing connection \(id) from \(host): \(error)")
        } catch {
            logger.debug("Connection \(id) from \(host) ended: \(error)")
        }
    }

    /// Handles one request frame and hands its response to the connection; false when the broker
    /// is draining and the connection should close instead.
    private func handle(
        _ frame: ByteBuffer, connectionId id: UInt64, host: String, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        backlog: ResponseBacklog
    ) async throws -> Bool {
        let request = try KafkaRequestFrame(frame: frame)
        let context = RequestContext(
            apiVersion: request.apiVersion, correlationId: request.correlationId, clientId: request.header.clientId,
            clientHost: host, connectionId: id)
        guard connections.beginRequest(id) else { return false }
        defer { connections.endRequest(id) }
        let response = try await router.process(request, context: context)
        state.metrics.recordNetwork(receivedBytes: 4 + frame.readableBytes, sentBytes: response?.readableBytes ?? 0)
        connections.finishHandling(id)
        if let response {
            backlog.add(response.readableBytes)
            try await outbound.write(response)
        }
        return true
    }
}
