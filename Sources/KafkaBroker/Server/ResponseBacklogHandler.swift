import NIOCore

/// Takes each response off its connection's `ResponseBacklog` once the socket has taken all of
/// it, or its write failed.
final class ResponseBacklogHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let backlog: ResponseBacklog

    init(backlog: ResponseBacklog) {
        self.backlog = backlog
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = unwrapOutboundIn(data).readableBytes
        let promise = promise ?? context.eventLoop.makePromise(of: Void.self)
        let backlog = self.backlog
        promise.futureResult.whenComplete { _ in backlog.remove(bytes) }
        context.write(data, promise: promise)
    }
}
