import KafkaProtocol
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
    /// Read-only views of topics, logs, groups and traffic, for the console and metrics exporters.
    public let inspector: BrokerInspector
    private let router: ApiRouter
    private let eventLoopGroup: any EventLoopGroup
    private let connections = ConnectionRegistry()
    private let listening = Mutex<ListeningState>(.starting([]))
    /// How often the state gauges are refreshed for metrics backends that nobody scrapes (an
    /// exporter that is scraped refreshes them itself before each read).
    private static let metricsRefreshInterval = Duration.seconds(10)

    private enum ListeningState {
        case starting([CheckedContinuation<SocketAddress, any Error>])
        case listening(SocketAddress)
        case failed(any Error)
    }

    /// Opens (and if needed recovers) the data folder; the listener starts with `run()`.
    ///
    /// - Parameter metricsFactory: where the broker's metrics go; by default the process-wide
    ///   `MetricsSystem` (which discards them unless bootstrapped).
    public init(
        configuration: BrokerConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        let startTimeMs = WallClock.milliseconds()
        let startInstant = ContinuousClock.now
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        for setting in configuration.settingsDifferingFromDefaults {
            logger.info("Setting \(setting.key)=\(setting.value) (default: \(setting.defaultValue))")
        }
        let state = try BrokerState(configuration: configuration, logger: logger, metricsFactory: metricsFactory)
        self.state = state
        state.metrics.recordStartup(
            version: SamsaVersion.current, nodeId: configuration.nodeId, clusterId: state.clusterId, startTimeMs: startTimeMs,
            recoveryDuration: state.logManager.loadDuration)
        var router = ApiRouter(metrics: state.metrics)
        router.register(MetadataHandler(state: state))
        router.register(ProduceHandler(state: state))
        router.register(FetchHandler(state: state))
        router.register(ListOffsetsHandler(state: state))
        router.register(InitProducerIdHandler(state: state))
        router.register(CreateTopicsHandler(state: state))
        router.register(DeleteTopicsHandler(state: state))
        router.register(CreatePartitionsHandler(state: state))
        router.register(DescribeConfigsHandler(state: state))
        router.register(AlterConfigsHandler(state: state))
        router.register(IncrementalAlterConfigsHandler(state: state))
        router.register(DescribeClusterHandler(state: state))
        let offsets = OffsetStore(state: state)
        // Kafka creates __consumer_offsets at the first FindCoordinator; creating it up front keeps
        // that first consumer's join (which kafka-python counts against consumer_timeout_ms) short.
        _ = try offsets.offsetsTopic()
        let coordinator = GroupCoordinator(configuration: configuration, offsets: offsets, metrics: state.metrics, logger: logger)
        coordinator.load(try offsets.replay())
        self.coordinator = coordinator
        router.register(FindCoordinatorHandler(state: state, offsets: offsets))
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
        let serverChannel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            serverChannel = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: configuration.listener.host, port: configuration.listener.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: maximumFrameSize)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            finishStarting(.failure(error))
            throw error
        }
        guard let address = serverChannel.channel.localAddress else {
            let error = ConnectionClosingError(reason: "the listener has no local address")
            finishStarting(.failure(error))
            throw error
        }
        state.listenerBound(port: address.port ?? configuration.listener.port)
        logger.info("Samsa broker \(configuration.nodeId) listening on PLAINTEXT://\(configuration.listener.host):\(address.port ?? 0), data in \(configuration.logDirectory)")
        finishStarting(.success(address))

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await cancelWhenGracefulShutdown { await self.runLogMaintenance() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runOffsetExpiry() } }
                group.addTask { await cancelWhenGracefulShutdown { await self.runMetricsRefresh() } }
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await self.serve(connection) }
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
        state.flusher.shutdown()
        do {
            try state.logManager.shutdown()
            logger.info("Broker stopped; logs flushed and closed cleanly")
        } catch {
            logger.error("Broker stopped, but closing the logs failed: \(error)")
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

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let host = "/" + (connection.channel.remoteAddress?.ipAddress ?? "unknown")
        guard let id = connections.register(connection.channel) else {
            logger.info("Rejected connection from \(host): the broker is shutting down")
            state.metrics.recordConnectionRejected()
            try? await connection.executeThenClose { _, _ in }
            return
        }
        defer { connections.remove(id) }
        state.metrics.recordConnectionAccepted()
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    let request = try KafkaRequestFrame(frame: frame)
                    let context = RequestContext(
                        apiVersion: request.apiVersion, correlationId: request.correlationId, clientId: request.header.clientId,
                        clientHost: host, connectionId: id)
                    guard connections.beginRequest(id) else { break }
                    defer { connections.endRequest(id) }
                    let response = try await router.process(request, context: context)
                    state.metrics.recordNetwork(receivedBytes: 4 + frame.readableBytes, sentBytes: response?.readableBytes ?? 0)
                    if let response {
                        try await outbound.write(response)
                    }
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
}
