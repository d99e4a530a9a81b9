import KafkaProtocol
import NIOCore
import NIOPosix

/// A broker whose answers a test writes, for the failures real brokers do not produce on demand.
/// ApiVersions is always answered (advertising what the generated messages support); every other
/// request goes to the test's `answer` closure, which gets the request and the broker's own port.
final class FakeBroker: Sendable {
    enum Reply: Sendable {
        case respond(any KafkaResponseMessage)
        /// Never answer (a hung broker).
        case silence
        /// Close the connection (a broker that fails mid-request).
        case close
    }

    typealias Answer = @Sendable (_ request: KafkaRequestFrame, _ port: Int) -> Reply

    private let channel: any Channel
    var port: Int { channel.localAddress!.port! }
    var address: String { "127.0.0.1:\(port)" }

    init(_ answer: @escaping Answer) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 20)))
                    try channel.pipeline.syncOperations.addHandler(Handler(answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: Answer

        init(answer: @escaping Answer) {
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard let request = try? KafkaRequestFrame(frame: unwrapInboundIn(data)) else {
                context.close(promise: nil)
                return
            }
            let reply: Reply
            if request.apiKey == .apiVersions {
                reply = .respond(
                    ApiVersionsResponse(
                        apiKeys: ApiKey.allGenerated.compactMap { key in
                            key.definedVersions.map { .init(apiKey: key.rawValue, minVersion: $0.lowerBound, maxVersion: $0.upperBound) }
                        }))
            } else {
                reply = answer(request, context.channel.localAddress?.port ?? 0)
            }
            switch reply {
            case .respond(let message):
                var buffer = context.channel.allocator.buffer(capacity: 256)
                encode(message, version: request.apiVersion, correlationId: request.correlationId, into: &buffer)
                context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            case .silence:
                break
            case .close:
                context.close(promise: nil)
            }
        }

        private func encode<Message: KafkaResponseMessage>(
            _ message: Message, version: Int16, correlationId: Int32, into buffer: inout ByteBuffer
        ) {
            KafkaMessageCodec.encodeResponse(message, version: version, correlationId: correlationId, into: &buffer)
        }
    }
}
