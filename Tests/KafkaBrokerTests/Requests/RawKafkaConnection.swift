import KafkaProtocol
import NIOCore
import NIOPosix

/// A bare TCP connection to the broker that sends hand-built request frames and reads response
/// frames, for checking exactly what the broker answers (or that it closes the connection).
struct RawKafkaConnection {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    static func with<Result: Sendable>(
        port: Int, _ body: (inout RawKafkaConnection) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 26)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawKafkaConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    func send<Message: KafkaRequestMessage>(_ message: Message, version: Int16, correlationId: Int32 = 1) async throws {
        var frame = ByteBuffer()
        KafkaMessageCodec.encodeRequest(message, version: version, correlationId: correlationId, clientId: "raw-test", into: &frame)
        try await outbound.write(frame)
    }

    func sendBytes(_ bytes: ByteBuffer) async throws {
        try await outbound.write(bytes)
    }

    /// The next response frame, or nil when the broker closed the connection.
    mutating func receiveFrame() async throws -> ByteBuffer? {
        try await inbound.next()
    }

    mutating func receive<Message: KafkaResponseMessage>(_ type: Message.Type, version: Int16) async throws -> (Int32, Message) {
        guard let frame = try await receiveFrame() else { throw ConnectionClosed() }
        return try KafkaMessageCodec.decodeResponse(Message.self, frame: frame, version: version)
    }

    mutating func roundTrip<Message: KafkaRequestMessage>(_ message: Message, version: Int16) async throws -> Message.Response {
        try await send(message, version: version)
        return try await receive(Message.Response.self, version: version).1
    }

    struct ConnectionClosed: Error {}
}
