import KafkaProtocol
import NIOCore
import NIOPosix

/// A broker that answers only ApiVersions and then misbehaves, for failure tests: it closes the
/// connection on the first other request, or never answers it.
final class FakeBroker: Sendable {
    enum Behaviour: Sendable {
        case closeOnRequest
        case neverAnswer
    }

    private let channel: any Channel
    var address: String { "127.0.0.1:\(channel.localAddress!.port!)" }

    init(_ behaviour: Behaviour) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 20)))
                    try channel.pipeline.syncOperations.addHandler(Handler(behaviour: behaviour))
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
        let behaviour: Behaviour

        init(behaviour: Behaviour) {
            self.behaviour = behaviour
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard let request = try? KafkaRequestFrame(frame: unwrapInboundIn(data)) else {
                context.close(promise: nil)
                return
            }
            guard request.apiKey == .apiVersions else {
                if case .closeOnRequest = behaviour { context.close(promise: nil) }
                return
            }
            let response = ApiVersionsResponse(apiKeys: [
                .init(apiKey: ApiKey.metadata.rawValue, minVersion: 0, maxVersion: 12),
                .init(apiKey: ApiKey.apiVersions.rawValue, minVersion: 0, maxVersion: 4),
            ])
            var buffer = context.channel.allocator.buffer(capacity: 64)
            KafkaMessageCodec.encodeResponse(response, version: request.apiVersion, correlationId: request.correlationId, into: &buffer)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }
}
