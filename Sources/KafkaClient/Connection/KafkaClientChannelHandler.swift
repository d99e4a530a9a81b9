import KafkaProtocol
import NIOCore

/// Runs a `ConnectionStateMachine` on a channel: writes the ApiVersions handshake and the requests,
/// matches response frames to the requests waiting for them, enforces the deadlines with a single
/// timer, and fails everything still waiting when the connection ends. Sits after a
/// `ByteToMessageHandler(KafkaFrameDecoder)`, so it reads whole frames.
final class KafkaClientChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = KafkaRequestTask
    typealias OutboundOut = ByteBuffer

    private var stateMachine: ConnectionStateMachine<PendingResult<ByteBuffer>>
    /// Completed once: with the broker's versions after the handshake, or with why it failed.
    private var readyPromise: EventLoopPromise<BrokerApiVersions>?
    private let handshakeTimeout: TimeAmount
    private let clientId: String?
    private let connectionDescription: String
    private var context: ChannelHandlerContext?
    private var timer: (deadline: NIODeadline, task: Scheduled<Void>)?

    init(readyPromise: EventLoopPromise<BrokerApiVersions>, clientId: String?, handshakeTimeout: TimeAmount, connectionDescription: String)
    {
        self.stateMachine = ConnectionStateMachine(connectionDescription: connectionDescription)
        self.readyPromise = readyPromise
        self.clientId = clientId
        self.handshakeTimeout = handshakeTimeout
        self.connectionDescription = connectionDescription
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startHandshake(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startHandshake(context: context)
        context.fireChannelActive()
    }

    private func startHandshake(context: ChannelHandlerContext) {
        run(stateMachine.channelActive(deadline: .now() + handshakeTimeout), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = KafkaError(.connectionClosed, "\(connectionDescription): the connection closed", errorCode: .networkException)
        run(stateMachine.connectionClosed(error))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let kafkaError = KafkaError(
            error is ProtocolDecodingError ? .protocolViolation : .connectionClosed,
            "\(connectionDescription): the connection failed", errorCode: .networkException, underlying: error)
        run(stateMachine.connectionClosed(kafkaError))
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch stateMachine.frameReceived(unwrapInboundIn(data)) {
        case .handshake(let action):
            run(action, context: context)
        case .succeed(let response, let frame):
            response.succeed(frame)
        case .ignore:
            break
        case .close(let error, let failing):
            for response in failing { response.fail(error) }
            failReady(error)
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var task = unwrapOutboundIn(data)
        let deadline = NIODeadline.now() + task.timeout
        let action = stateMachine.writeRequested(
            apiKey: task.apiKey, expectsResponse: task.expectsResponse, deadline: deadline, request: task.response)
        switch action {
        case .write(let correlationId):
            task.frame.setInteger(correlationId, at: task.frame.readerIndex + KafkaRequestTask.correlationIdOffset)
            armTimer(context: context, forNewDeadline: deadline)
            context.write(wrapOutboundOut(task.frame), promise: promise)
        case .writeWithoutResponse(let correlationId):
            task.frame.setInteger(correlationId, at: task.frame.readerIndex + KafkaRequestTask.correlationIdOffset)
            let written = context.eventLoop.makePromise(of: Void.self)
            let response = task.response
            written.futureResult.whenComplete { result in
                switch result {
                case .success:
                    response.succeed(ByteBuffer())
                case .failure(let error):
                    response.fail(
                        KafkaError(.connectionClosed, "the request could not be written", errorCode: .networkException, underlying: error))
                }
            }
            written.futureResult.cascade(to: promise)
            context.write(wrapOutboundOut(task.frame), promise: written)
        case .fail(let error):
            task.response.fail(error)
            promise?.fail(error)
        }
    }

    // MARK: - Running actions

    private func run(_ action: ConnectionStateMachine<PendingResult<ByteBuffer>>.HandshakeAction, context: ChannelHandlerContext) {
        switch action {
        case .sendApiVersions(let version, let correlationId):
            var buffer = context.channel.allocator.buffer(capacity: 64)
            let request = ApiVersionsRequest(
                clientSoftwareName: KafkaClientVersion.softwareName, clientSoftwareVersion: KafkaClientVersion.version)
            KafkaMessageCodec.encodeRequest(request, version: version, correlationId: correlationId, clientId: clientId, into: &buffer)
            armTimer(context: context)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        case .ready(let versions):
            readyPromise?.succeed(versions)
            readyPromise = nil
        case .close(let error):
            failReady(error)
            context.close(promise: nil)
        }
    }

    private func run(_ action: ConnectionStateMachine<PendingResult<ByteBuffer>>.CloseAction) {
        switch action {
        case .none:
            break
        case .failHandshake(let error):
            failReady(error)
        case .fail(let failing, let error):
            for response in failing { response.fail(error) }
            failReady(error)
        }
    }

    // MARK: - Deadlines

    /// Keeps one timer, set to the earliest deadline the state machine knows.
    private func armTimer(context: ChannelHandlerContext) {
        guard let deadline = stateMachine.earliestDeadline else { return }
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timerFired()
        }
        timer = (deadline, task)
    }

    /// A request with `deadline` was added: the timer moves only if it would fire later than that,
    /// which spares looking through every request in flight on each write.
    private func armTimer(context: ChannelHandlerContext, forNewDeadline deadline: NIODeadline) {
        if let timer, timer.deadline <= deadline { return }
        armTimer(context: context)
    }

    private func timerFired() {
        timer = nil
        guard let context else { return }
        let action = stateMachine.deadlineReached(now: .now())
        if case .none = action {
            armTimer(context: context)
            return
        }
        run(action)
        context.close(promise: nil)
    }

    private func failReady(_ error: KafkaError) {
        readyPromise?.fail(error)
        readyPromise = nil
    }
}
