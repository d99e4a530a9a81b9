import KafkaProtocol
import NIOCore
import NIOPosix

/// One Kafka connection sending requests one at a time, as a simple producer does.
struct KafkaBenchmarkConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var correlationId: Int32 = 0

    static func with<Result: Sendable>(port: Int, _ body: (inout KafkaBenchmarkConnection) async throws -> Result) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 26)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = KafkaBenchmarkConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    private init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound
        self.outbound = outbound
    }

    mutating func roundTrip<Message: KafkaRequestMessage>(_ message: Message, version: Int16) async throws -> Message.Response {
        correlationId += 1
        var frame = ByteBuffer()
        KafkaMessageCodec.encodeRequest(message, version: version, correlationId: correlationId, clientId: "benchmark", into: &frame)
        try await outbound.write(frame)
        guard let answer = try await inbound.next() else { throw ClosedByBroker() }
        return try KafkaMessageCodec.decodeResponse(Message.Response.self, frame: answer, version: version).1
    }

    struct ClosedByBroker: Error {}
}
