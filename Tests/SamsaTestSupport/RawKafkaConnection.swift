import KafkaProtocol
import NIOCore
import NIOPosix
import NIOSSL

/// A bare TCP (or TLS) connection to a broker that sends hand-built request frames and reads response
/// frames, for checking exactly what the broker answers (or that it closes the connection).
public struct RawKafkaConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let clientId: String
    private var lastCorrelationId: Int32 = 0

    public struct ConnectionClosed: Error {}

    /// - Parameter tls: when given, the connection starts with a TLS handshake (an SSL or
    ///   SASL_SSL listener); the server name checked is `localhost`.
    public static func with<Result: Sendable>(
        port: Int, clientId: String = "samsa-test", tls: TLSConfiguration? = nil, _ body: (inout RawKafkaConnection) async throws -> Result
    ) async throws -> Result {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: sslContext, serverHostname: "localhost"))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 26)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawKafkaConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound, clientId: clientId)
            return try await body(&connection)
        }
    }

    private init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        clientId: String
    ) {
        self.inbound = inbound
        self.outbound = outbound
        self.clientId = clientId
    }

    /// Sends a request without waiting for its answer; the correlation id is the next one unless given.
    public mutating func send<Message: KafkaRequestMessage>(_ message: Message, version: Int16, correlationId: Int32? = nil) async throws {
        lastCorrelationId = correlationId ?? lastCorrelationId + 1
        var frame = ByteBuffer()
        KafkaMessageCodec.encodeRequest(message, version: version, correlationId: lastCorrelationId, clientId: clientId, into: &frame)
        try await outbound.write(frame)
    }

    public func sendBytes(_ bytes: ByteBuffer) async throws {
        try await outbound.write(bytes)
    }

    /// The next response frame, or nil when the broker closed the connection.
    public mutating func receiveFrame() async throws -> ByteBuffer? {
        try await inbound.next()
    }

    /// The next response and its correlation id.
    public mutating func receive<Message: KafkaResponseMessage>(_ type: Message.Type, version: Int16) async throws -> (Int32, Message) {
        guard let frame = try await receiveFrame() else { throw ConnectionClosed() }
        return try KafkaMessageCodec.decodeResponse(Message.self, frame: frame, version: version)
    }

    public mutating func roundTrip<Message: KafkaRequestMessage>(_ message: Message, version: Int16) async throws -> Message.Response {
        try await send(message, version: version)
        return try await receive(Message.Response.self, version: version).1
    }
}

extension RawKafkaConnection {
    /// Whether the broker on `port` answers ApiVersions on a new connection.
    public static func isServed(port: Int, tls: TLSConfiguration? = nil) async throws -> Bool {
        try await with(port: port, tls: tls) { connection in
            try await connection.roundTrip(ApiVersionsRequest(), version: 0).errorCode == 0
        }
    }

    /// Whether the broker refuses a new connection that sends ApiVersions (or `bytes`): the TLS
    /// handshake fails, or the connection closes without an answer.
    public static func isRefused(port: Int, tls: TLSConfiguration? = nil, sending bytes: [UInt8]? = nil) async -> Bool {
        do {
            return try await with(port: port, tls: tls) { connection in
                if let bytes {
                    try await connection.sendBytes(ByteBuffer(bytes: bytes))
                } else {
                    try await connection.send(ApiVersionsRequest(), version: 0)
                }
                return try await connection.receiveFrame() == nil
            }
        } catch {
            return true
        }
    }
}
