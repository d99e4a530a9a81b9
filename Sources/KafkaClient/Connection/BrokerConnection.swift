import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

/// One TCP connection to a broker after the ApiVersions handshake. Connections are identified by
/// address, so the connection made to a bootstrap server serves that broker's node id later. Requests from any task may be
/// sent concurrently: the channel writes them in order and the handler matches the responses.
final class BrokerConnection: Sendable {
    let address: BrokerAddress
    let apiVersions: BrokerApiVersions
    private let channel: any Channel
    private let configuration: ConnectionConfiguration

    private init(
        channel: any Channel, address: BrokerAddress, apiVersions: BrokerApiVersions, configuration: ConnectionConfiguration
    ) {
        self.channel = channel
        self.address = address
        self.apiVersions = apiVersions
        self.configuration = configuration
    }

    var isActive: Bool { channel.isActive }

    var description: String { "broker \(address)" }

    /// Connects and runs the ApiVersions handshake, both within `requestTimeout`, then the SASL
    /// login when the client has one.
    static func connect(
        to address: BrokerAddress, configuration: ConnectionConfiguration,
        eventLoopGroup: any EventLoopGroup
    ) async throws(KafkaError) -> BrokerConnection {
        let eventLoop = eventLoopGroup.next()
        let ready = eventLoop.makePromise(of: BrokerApiVersions.self)
        let description = "broker \(address)"
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.requestTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = configuration.tls {
                        try channel.pipeline.syncOperations.addHandler(try tls.handler(host: address.host))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: configuration.maximumResponseSize)))
                    try channel.pipeline.syncOperations.addHandler(
                        KafkaClientChannelHandler(
                            readyPromise: ready, clientId: configuration.clientId,
                            handshakeTimeout: configuration.requestTimeout, connectionDescription: description))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            ready.fail(error)
            throw KafkaError(.connectionFailed, "could not connect to \(description)", errorCode: .networkException, underlying: error)
        }
        do {
            let versions = try await ready.futureResult.get()
            let connection = BrokerConnection(channel: channel, address: address, apiVersions: versions, configuration: configuration)
            try await configuration.sasl?.authenticate(connection)
            return connection
        } catch {
            try? await channel.close()
            throw error as? KafkaError
                ?? KafkaError(.connectionFailed, "handshake with \(description) failed", errorCode: .networkException, underlying: error)
        }
    }

    /// Sends `request` at the highest version both sides speak and waits for the response.
    func send<Request: KafkaRequestMessage>(_ request: Request, timeout: TimeAmount? = nil) async throws(KafkaError) -> Request.Response {
        let version = try apiVersions.version(for: Request.self)
        return try await send(request, version: version, timeout: timeout)
    }

    /// Sends `request` at `version` and waits for the response; `timeout` defaults to `request_timeout_ms`.
    func send<Request: KafkaRequestMessage>(
        _ request: Request, version: Int16, timeout: TimeAmount? = nil
    ) async throws(KafkaError) -> Request.Response {
        let frame = try await write(request, version: version, expectsResponse: true, timeout: timeout)
        do {
            return try KafkaMessageCodec.decodeResponse(Request.Response.self, frame: frame, version: version).message
        } catch {
            throw KafkaError(
                .protocolViolation, "undecodable \(Request.apiKey) v\(version) response from \(description)", underlying: error)
        }
    }

    /// Sends a request the broker does not answer (Produce with acks=0); returns once it is written.
    func sendWithoutResponse<Request: KafkaRequestMessage>(_ request: Request, version: Int16) async throws(KafkaError) {
        _ = try await write(request, version: version, expectsResponse: false, timeout: nil)
    }

    private func write<Request: KafkaRequestMessage>(
        _ request: Request, version: Int16, expectsResponse: Bool, timeout: TimeAmount?
    ) async throws(KafkaError) -> ByteBuffer {
        var frame = channel.allocator.buffer(capacity: 256)
        KafkaMessageCodec.encodeRequest(request, version: version, correlationId: 0, clientId: configuration.clientId, into: &frame)
        let response = PendingResult<ByteBuffer>()
        let task = KafkaRequestTask(
            frame: frame, apiKey: Request.apiKey, expectsResponse: expectsResponse,
            timeout: timeout ?? configuration.requestTimeout, response: response)
        let channel = self.channel
        let description = self.description
        // One hop to the event loop for the write and its outcome: `writeAndFlush(_:)` from outside
        // it, then a callback on the returned future, would hop twice.
        channel.eventLoop.execute {
            // A closed channel fails the write before the handler sees it; the response must fail
            // then too, or the caller would wait forever.
            channel.writeAndFlush(task).whenFailure { error in
                response.fail(
                    KafkaError(
                        .connectionClosed, "\(Request.apiKey) to \(description) could not be written", errorCode: .networkException,
                        underlying: error))
            }
        }
        return try await response.result().get()
    }

    func close() async {
        try? await channel.close()
    }

    func closeWithoutWaiting() {
        channel.close(promise: nil)
    }
}
