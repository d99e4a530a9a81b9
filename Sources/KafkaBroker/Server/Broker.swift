import KafkaProtocol
import Logging
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
    private let router: ApiRouter
    private let eventLoopGroup: any EventLoopGroup
    private let connections = ConnectionRegistry()
    private let listening = Mutex<ListeningState>(.starting([]))

    private enum ListeningState {
        case starting([CheckedContinuation<SocketAddress, any Error>])
        case listening(SocketAddress)
        case failed(any Error)
    }

    public init(configuration: BrokerConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        var router = ApiRouter()
        Self.registerHandlers(into: &router, configuration: configuration)
        self.router = router
    }

    private static func registerHandlers(into router: inout ApiRouter, configuration: BrokerConfiguration) {
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
        logger.info("Samsa broker \(configuration.nodeId) listening on PLAINTEXT://\(configuration.listener.host):\(address.port ?? 0), data in \(configuration.logDirectory)")
        finishStarting(.success(address))

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
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
        logger.info("Broker stopped")
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = connections.register(connection.channel)
        defer { connections.remove(id) }
        let host = "/" + (connection.channel.remoteAddress?.ipAddress ?? "unknown")
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    let request = try KafkaRequestFrame(frame: frame)
                    let context = RequestContext(
                        apiVersion: request.apiVersion, correlationId: request.correlationId, clientId: request.header.clientId,
                        clientHost: host, connectionId: id)
                    guard connections.beginRequest(id) else { break }
                    defer { connections.endRequest(id) }
                    if let response = try await router.process(request, context: context) {
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
