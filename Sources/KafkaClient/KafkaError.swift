import KafkaProtocol

/// Why a Kafka client operation failed.
///
/// `code` says what kind of failure it was; `errorCode` carries the Kafka error code when a broker
/// answered with one (or when the client detected a condition Kafka has a code for, such as a record
/// above `maxRequestSize`). `isRetriable` follows Kafka's classification: the same call may succeed
/// when repeated, typically after the client refreshed its metadata or reconnected.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case broker, connectionFailed, connectionClosed, requestTimedOut, unsupportedVersion
            case invalidConfiguration, serializationFailed, recordTooLarge, protocolViolation
            case shutdown, illegalState, timedOut, authenticationFailed, callbackFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A broker answered with a Kafka error code (see `errorCode`).
        public static let broker = Code(.broker)
        /// No connection could be opened to any of the addresses tried.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection closed before the response arrived.
        public static let connectionClosed = Code(.connectionClosed)
        /// No response arrived within `requestTimeoutMs`; the connection was closed, as Kafka's
        /// clients do, because the responses that follow can no longer be matched.
        public static let requestTimedOut = Code(.requestTimedOut)
        /// The broker and this client have no API version in common for a request.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A configuration value is missing, unknown or out of range.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A serializer or deserializer failed.
        public static let serializationFailed = Code(.serializationFailed)
        /// A record is larger than `maxRequestSize` (or `batchSize` allows).
        public static let recordTooLarge = Code(.recordTooLarge)
        /// The broker sent bytes this client cannot decode, or a response out of order.
        public static let protocolViolation = Code(.protocolViolation)
        /// The client was closed.
        public static let shutdown = Code(.shutdown)
        /// The call does not fit the client's current state (e.g. `poll` before `assign`).
        public static let illegalState = Code(.illegalState)
        /// An operation did not finish within its configured time limit.
        public static let timedOut = Code(.timedOut)
        /// The broker refused the SASL login (wrong password, unknown user, a mechanism it does not
        /// enable; see `errorCode` and `brokerMessage`), or could not prove that it knows the SCRAM
        /// credential. Not retried: the same credentials would be refused again.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// Code of the application called by the client (a rebalance listener) threw; the error it
        /// threw is `underlying`.
        public static let callbackFailed = Code(.callbackFailed)

        public var description: String { "\(base)" }
    }

    public var code: Code
    /// The Kafka error code, when the failure has one.
    public var errorCode: ErrorCode?
    /// A readable explanation including the context (topic, partition, broker) where known.
    public var message: String
    /// The error this one wraps, if any (a socket error, a decoding error).
    public var underlying: (any Error)?
    /// The broker's own explanation (the response's `error_message`), when it sent one. Kafka's
    /// tools print this rather than the error code's generic text.
    public var brokerMessage: String?
    /// The partition and offset of the record the error is about, when it is about one: a record
    /// that cannot be deserialized. `seek(_:offset:)` to `offset + 1` skips it.
    public var topicPartition: TopicPartition?
    public var offset: Int64?

    public init(_ code: Code, _ message: String, errorCode: ErrorCode? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.errorCode = errorCode
        self.underlying = underlying
    }

    /// Whether repeating the operation may succeed.
    public var isRetriable: Bool {
        if let errorCode { return errorCode.isRetriable }
        switch code {
        case .connectionFailed, .connectionClosed, .requestTimedOut, .timedOut: return true
        default: return false
        }
    }

    public var description: String {
        var text = "KafkaError.\(code)"
        if let errorCode { text += " \(errorCode)" }
        text += ": \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }
}

extension KafkaError {
    /// The error for a broker's answer, or nil for `NONE`.
    static func broker(_ errorCode: ErrorCode, _ context: String) -> KafkaError? {
        guard errorCode != .noError else { return nil }
        return KafkaError(.broker, "\(context): \(errorCode.defaultMessage)", errorCode: errorCode)
    }

    /// The error for a broker's answer given as the raw `Int16` of a generated response, or nil for 0.
    static func broker(code rawValue: Int16, _ context: String, brokerMessage: String? = nil) -> KafkaError? {
        guard var error = broker(ErrorCode(rawValue: rawValue), context) else { return nil }
        if let brokerMessage, !brokerMessage.isEmpty {
            error.message += " (broker: \(brokerMessage))"
            error.brokerMessage = brokerMessage
        }
        return error
    }

    static func invalidConfiguration(_ message: String) -> KafkaError {
        KafkaError(.invalidConfiguration, message)
    }

    static func shutdown(_ what: String) -> KafkaError {
        KafkaError(.shutdown, "\(what) is closed")
    }
}
