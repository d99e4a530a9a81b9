import KafkaProtocol
import NIOCore

/// The life of one broker connection without any I/O: the ApiVersions handshake, then requests
/// matched to responses. Kafka answers the requests of a connection in the order they were sent,
/// so a response must carry the correlation id of the oldest request still waiting; anything else
/// means the stream can no longer be trusted and the connection is closed.
///
/// Requests without a response (Produce with acks=0) stay in the queue as markers: Kafka never
/// answers them, so a response for a later request skips them, but some brokers (Tansu) do answer
/// them, and those answers are dropped.
///
/// `Request` is whatever the channel handler keeps per request (a promise, a timer); the state
/// machine only stores and returns it, which keeps it testable with plain values.
struct ConnectionStateMachine<Request> {
    struct InFlight {
        var correlationId: Int32
        var apiKey: ApiKey
        var deadline: NIODeadline
        /// Nil for a request the broker is not expected to answer.
        var request: Request?
    }

    /// How many unanswered acks=0 markers are kept at the front of the queue before the oldest are
    /// forgotten; a broker that answers them does so long before this many more are written.
    static var maximumUnansweredMarkers: Int { 1024 }

    private enum State {
        case connecting
        case negotiating(version: Int16, correlationId: Int32, deadline: NIODeadline)
        /// Requests wait in `inFlight`, kept outside the enum so that appending never copies it.
        case ready
        case closed(KafkaError)
    }

    enum HandshakeAction {
        case sendApiVersions(version: Int16, correlationId: Int32)
        case ready(BrokerApiVersions)
        case close(KafkaError)
    }

    enum WriteAction {
        /// Write the request with this correlation id; a response is expected.
        case write(correlationId: Int32)
        /// Write the request with this correlation id; no response will come (Produce acks=0).
        case writeWithoutResponse(correlationId: Int32)
        case fail(KafkaError)
    }

    enum FrameAction {
        case handshake(HandshakeAction)
        case succeed(Request, frame: ByteBuffer)
        /// The broker answered a request that expects no answer (acks=0).
        case ignore
        case close(KafkaError, failing: [Request])
    }

    enum CloseAction {
        /// Nothing was waiting, or the connection was already closed.
        case none
        case failHandshake(KafkaError)
        case fail([Request], KafkaError)
    }

    private var state: State = .connecting
    private var inFlight = CircularBuffer<InFlight>()
    private var nextCorrelationId: Int32 = 0
    private let connectionDescription: String

    /// - Parameter connectionDescription: names the broker in error messages ("broker 1 at host:port").
    init(connectionDescription: String) {
        self.connectionDescription = connectionDescription
    }

    // MARK: - Handshake

    /// The TCP connection is up: ask for the broker's API versions, at the newest version first.
    /// The whole handshake must finish before `deadline`.
    mutating func channelActive(deadline: NIODeadline) -> HandshakeAction {
        guard case .connecting = state else {
            return .close(KafkaError(.protocolViolation, "\(connectionDescription): connection became active twice"))
        }
        return sendApiVersions(version: ApiVersionsRequest.validVersions.upperBound, deadline: deadline)
    }

    private mutating func sendApiVersions(version: Int16, deadline: NIODeadline) -> HandshakeAction {
        let correlationId = takeCorrelationId()
        state = .negotiating(version: version, correlationId: correlationId, deadline: deadline)
        return .sendApiVersions(version: version, correlationId: correlationId)
    }

    /// kafka-python's logic: on UNSUPPORTED_VERSION the broker lists its ApiVersions range in a v0
    /// body, and the client retries at the broker's maximum (v0 when the list lacks key 18).
    private mutating func apiVersionsFrameReceived(
        _ frame: ByteBuffer, sentVersion: Int16, correlationId: Int32, deadline: NIODeadline
    ) -> FrameAction {
        var body = frame
        guard let receivedId = body.readInteger(as: Int32.self), receivedId == correlationId,
            let errorCode = body.getInteger(at: body.readerIndex, as: Int16.self)
        else {
            return closeWithProtocolViolation("ApiVersions response with a wrong correlation id or no body")
        }
        // An error answer is always laid out as v0, whatever version was asked for.
        let bodyVersion = errorCode == 0 ? sentVersion : 0
        let response: ApiVersionsResponse
        do {
            response = try KafkaMessageCodec.decode(ApiVersionsResponse.self, from: body, version: bodyVersion, allowTrailingBytes: true)
        } catch {
            return close(KafkaError(.protocolViolation, "\(connectionDescription): undecodable ApiVersions response", underlying: error))
        }
        switch ErrorCode(rawValue: errorCode) {
        case .noError:
            state = .ready
            return .handshake(.ready(BrokerApiVersions(response)))
        case .unsupportedVersion where sentVersion > 0:
            let brokerMaximum = response.apiKeys.first { $0.apiKey == ApiKey.apiVersions.rawValue }?.maxVersion ?? 0
            return .handshake(sendApiVersions(version: max(0, min(sentVersion - 1, brokerMaximum)), deadline: deadline))
        default:
            let error = KafkaError.broker(ErrorCode(rawValue: errorCode), "\(connectionDescription): ApiVersions v\(sentVersion)")!
            return close(error)
        }
    }

    // MARK: - Requests

    /// A request is about to be written. Fails unless the handshake has finished.
    mutating func writeRequested(apiKey: ApiKey, expectsResponse: Bool, deadline: NIODeadline, request: Request) -> WriteAction {
        switch state {
        case .ready:
            let correlationId = takeCorrelationId()
            inFlight.append(
                InFlight(correlationId: correlationId, apiKey: apiKey, deadline: deadline, request: expectsResponse ? request : nil))
            while inFlight.count > Self.maximumUnansweredMarkers, inFlight.first?.request == nil { inFlight.removeFirst() }
            return expectsResponse ? .write(correlationId: correlationId) : .writeWithoutResponse(correlationId: correlationId)
        case .closed(let error):
            return .fail(error)
        case .connecting, .negotiating:
            return .fail(KafkaError(.illegalState, "\(connectionDescription): request before the ApiVersions handshake finished"))
        }
    }

    /// A whole frame (size prefix removed) arrived.
    mutating func frameReceived(_ frame: ByteBuffer) -> FrameAction {
        switch state {
        case .negotiating(let version, let correlationId, let deadline):
            return apiVersionsFrameReceived(frame, sentVersion: version, correlationId: correlationId, deadline: deadline)
        case .ready:
            guard let receivedId = frame.getInteger(at: frame.readerIndex, as: Int32.self) else {
                return closeWithProtocolViolation("a response shorter than its header")
            }
            // Markers of unanswered requests before the answered one were never going to be answered.
            while let first = inFlight.first, first.request == nil, first.correlationId != receivedId { inFlight.removeFirst() }
            guard let oldest = inFlight.popFirst() else {
                return closeWithProtocolViolation("a response (correlation id \(receivedId)) to no request")
            }
            guard oldest.correlationId == receivedId else {
                inFlight.prepend(oldest)
                return closeWithProtocolViolation(
                    "a response with correlation id \(receivedId) while \(oldest.correlationId) (\(oldest.apiKey)) was next")
            }
            guard let request = oldest.request else { return .ignore }
            return .succeed(request, frame: frame)
        case .connecting, .closed:
            return .close(KafkaError(.protocolViolation, "\(connectionDescription): data before the connection was set up"), failing: [])
        }
    }

    // MARK: - Failure and close

    /// The earliest deadline of the handshake or of a request waiting for its response: the one
    /// timer the handler keeps runs until then.
    var earliestDeadline: NIODeadline? {
        switch state {
        case .negotiating(_, _, let deadline): return deadline
        case .ready: return inFlight.lazy.filter { $0.request != nil }.map { $0.deadline }.min()
        case .connecting, .closed: return nil
        }
    }

    /// The timer fired. When a request (or the handshake) waited past its deadline, the responses
    /// that follow can no longer be matched reliably, so Kafka's clients close the connection; so
    /// does this one.
    mutating func deadlineReached(now: NIODeadline) -> CloseAction {
        switch state {
        case .negotiating(_, _, let deadline) where deadline <= now:
            return closeAll(KafkaError(.requestTimedOut, "\(connectionDescription): no ApiVersions response in time"))
        case .ready:
            guard let timedOut = inFlight.first(where: { $0.request != nil && $0.deadline <= now }) else { return .none }
            return closeAll(
                KafkaError(
                    .requestTimedOut,
                    "\(connectionDescription): no \(timedOut.apiKey) response in time (correlation id \(timedOut.correlationId))"))
        default:
            return .none
        }
    }

    /// The connection closed or failed; everything still waiting fails with `error`.
    mutating func connectionClosed(_ error: KafkaError) -> CloseAction {
        closeAll(error)
    }

    private mutating func closeAll(_ error: KafkaError) -> CloseAction {
        switch state {
        case .closed:
            return .none
        case .ready:
            state = .closed(error)
            let failing = inFlight.compactMap { $0.request }
            inFlight.removeAll()
            return failing.isEmpty ? .none : .fail(failing, error)
        case .connecting, .negotiating:
            state = .closed(error)
            return .failHandshake(error)
        }
    }

    private mutating func close(_ error: KafkaError) -> FrameAction {
        state = .closed(error)
        return .handshake(.close(error))
    }

    /// Closes and fails every request still waiting: none of their responses can be trusted now.
    private mutating func closeWithProtocolViolation(_ detail: String) -> FrameAction {
        let error = KafkaError(.protocolViolation, "\(connectionDescription): \(detail)")
        state = .closed(error)
        let failing = inFlight.compactMap { $0.request }
        inFlight.removeAll()
        return .close(error, failing: failing)
    }

    /// Correlation ids count up from 0 and wrap to 0 before turning negative.
    private mutating func takeCorrelationId() -> Int32 {
        let id = nextCorrelationId
        nextCorrelationId = id == .max ? 0 : id + 1
        return id
    }
}
