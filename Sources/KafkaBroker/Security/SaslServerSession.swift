import KafkaProtocol
import NIOCore

/// The SASL side of one connection on a SASL_PLAINTEXT or SASL_SSL listener, as a pure state
/// machine: which requests it may send now, and what SaslHandshake, SaslAuthenticate and (after a
/// v0 handshake) raw tokens are answered. The broker does the I/O and the clock.
///
/// As in Kafka, before authentication only ApiVersions, SaslHandshake and SaslAuthenticate are
/// served; any other request closes the connection. With `connections.max.reauth.ms` the session
/// expires and must be renewed by a new handshake (KIP-368) before other requests are served.
public struct SaslServerSession: Sendable {
    /// What one listener accepts.
    public struct Settings: Sendable {
        public var enabledMechanisms: [SaslMechanism]
        /// The `user_NAME` entries of the listener's PlainLoginModule line.
        public var plainUsers: [String: String]
        public var scramCredentials: @Sendable (String, ScramMechanism) -> ScramCredential?
        /// `connections.max.reauth.ms`; 0 means sessions never expire.
        public var sessionLifetimeMs: Int64
        /// `sasl.server.max.receive.size`: a larger token closes the connection.
        public var maximumTokenBytes: Int
        /// `sasl.authentication.timeout.ms`: how long a new connection has to log in.
        public var authenticationTimeoutMs: Int64
        /// The listener's name as metrics and logs name it (lower case, as in `listener.name.` keys).
        public var listenerName: String

        public init(
            enabledMechanisms: [SaslMechanism], plainUsers: [String: String],
            scramCredentials: @escaping @Sendable (String, ScramMechanism) -> ScramCredential?, sessionLifetimeMs: Int64 = 0,
            maximumTokenBytes: Int = 524_288, authenticationTimeoutMs: Int64 = 10_000, listenerName: String = "sasl_plaintext"
        ) {
            self.enabledMechanisms = enabledMechanisms
            self.plainUsers = plainUsers
            self.scramCredentials = scramCredentials
            self.sessionLifetimeMs = sessionLifetimeMs
            self.maximumTokenBytes = maximumTokenBytes
            self.authenticationTimeoutMs = authenticationTimeoutMs
            self.listenerName = listenerName
        }
    }

    /// What the connection does with one request before it reaches the API handlers.
    public enum Admission: Sendable, Equatable {
        /// The request goes to the router as on any connection.
        case route
        /// A SaslHandshake or SaslAuthenticate this session answers.
        case authenticate
        /// Close without an answer (a request before authentication, or after the session expired).
        case close(reason: String)
    }

    /// The answer to one SASL request or raw token.
    public enum Reply: Sendable {
        case handshake(SaslHandshakeResponse)
        case authenticate(SaslAuthenticateResponse)
        /// A token in the legacy framing that follows a v0 handshake: the bytes alone, size-prefixed.
        case rawToken([UInt8])
        /// Nothing to send; the connection closes.
        case none
    }

    /// How an authentication attempt ended, for the metrics and the log.
    public enum Outcome: Sendable, Equatable {
        case succeeded(KafkaPrincipal, SaslMechanism)
        /// `user` is the name the client gave, when it got that far.
        case failed(SaslMechanism?, user: String?, reason: String)
    }

    /// A reply, whether the connection closes after it, and the outcome when the attempt ended.
    public struct Step: Sendable {
        public var reply: Reply
        public var closesConnection: Bool
        public var outcome: Outcome?
    }

    private enum State: Sendable {
        case awaitingHandshake
        case awaitingToken(SaslMechanism, legacyFraming: Bool, scram: ScramServerExchange?)
        case authenticated(KafkaPrincipal, SaslMechanism, expiresAtMs: Int64?)
        case failed
    }

    public let settings: Settings
    private var state: State = .awaitingHandshake
    /// The principal of the previous session while a re-authentication is under way.
    private var reauthenticating: (principal: KafkaPrincipal, mechanism: SaslMechanism)?

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Who the connection acts as: nil until it has authenticated.
    public var principal: KafkaPrincipal? {
        if case .authenticated(let principal, _, _) = state { return principal }
        return reauthenticating?.principal
    }

    /// After a v0 handshake the next frame is a bare token, not a Kafka request.
    public var expectsRawToken: Bool {
        if case .awaitingToken(_, legacyFraming: true, _) = state { return true }
        return false
    }

    public func admission(of apiKey: ApiKey, nowMs: Int64) -> Admission {
        switch state {
        case .authenticated(_, _, let expiresAtMs):
            if apiKey == .saslHandshake { return .authenticate }
            if let expiresAtMs, nowMs > expiresAtMs {
                return .close(reason: "the SASL session expired (connections.max.reauth.ms) without re-authentication")
            }
            return .route
        case .awaitingHandshake, .awaitingToken:
            if apiKey == .apiVersions { return .route }
            if apiKey == .saslHandshake || apiKey == .saslAuthenticate { return .authenticate }
            return .close(reason: "\(apiKey) before SASL authentication (ILLEGAL_SASL_STATE)")
        case .failed:
            return .close(reason: "SASL authentication failed")
        }
    }

    public mutating func receive(_ request: SaslHandshakeRequest, version: Int16) -> Step {
        let enabled = settings.enabledMechanisms.map(\.rawValue)
        var response = SaslHandshakeResponse(errorCode: 0, mechanisms: enabled)
        switch state {
        case .awaitingHandshake:
            break
        case .authenticated(let principal, let mechanism, _) where version >= 1:
            reauthenticating = (principal, mechanism)
        default:
            response.errorCode = ErrorCode.illegalSaslState.rawValue
            state = .failed
            return Step(
                reply: .handshake(response), closesConnection: true,
                outcome: .failed(nil, user: nil, reason: "unexpected SaslHandshake"))
        }
        guard let mechanism = SaslMechanism(rawValue: request.mechanism), settings.enabledMechanisms.contains(mechanism) else {
            response.errorCode = ErrorCode.unsupportedSaslMechanism.rawValue
            state = .failed
            return Step(
                reply: .handshake(response), closesConnection: true,
                outcome: .failed(nil, user: nil, reason: "unsupported SASL mechanism \(request.mechanism)"))
        }
        if let previous = reauthenticating, previous.mechanism != mechanism {
            response.errorCode = ErrorCode.illegalSaslState.rawValue
            state = .failed
            return Step(
                reply: .handshake(response), closesConnection: true,
                outcome: .failed(mechanism, user: nil, reason: "re-authentication must use the same mechanism (\(previous.mechanism))"))
        }
        state = .awaitingToken(mechanism, legacyFraming: version == 0, scram: mechanism.scram.map { ScramServerExchange(mechanism: $0) })
        return Step(reply: .handshake(response), closesConnection: false, outcome: nil)
    }

    public mutating func receive(_ request: SaslAuthenticateRequest, version: Int16, nowMs: Int64) -> Step {
        guard case .awaitingToken(_, legacyFraming: false, _) = state else {
            state = .failed
            let response = SaslAuthenticateResponse(
                errorCode: ErrorCode.illegalSaslState.rawValue, errorMessage: "Unexpected SaslAuthenticate request")
            return Step(
                reply: .authenticate(response), closesConnection: true,
                outcome: .failed(nil, user: nil, reason: "SaslAuthenticate without a SaslHandshake"))
        }
        let token = request.authBytes.getBytes(at: request.authBytes.readerIndex, length: request.authBytes.readableBytes) ?? []
        let (result, outcome) = evaluate(token, nowMs: nowMs)
        var response = SaslAuthenticateResponse()
        switch result {
        case .success(let bytes):
            response.authBytes = ByteBuffer(bytes: bytes)
            if case .authenticated = state, version >= 1 { response.sessionLifetimeMs = settings.sessionLifetimeMs }
            return Step(reply: .authenticate(response), closesConnection: false, outcome: outcome)
        case .failure(let message):
            response.errorCode = ErrorCode.saslAuthenticationFailed.rawValue
            response.errorMessage = message.message
            return Step(reply: .authenticate(response), closesConnection: true, outcome: outcome)
        }
    }

    /// A token in the legacy framing (after a v0 handshake); a failure just closes, as in Kafka.
    public mutating func receive(rawToken token: [UInt8], nowMs: Int64) -> Step {
        guard case .awaitingToken(_, legacyFraming: true, _) = state else {
            state = .failed
            return Step(reply: .none, closesConnection: true, outcome: .failed(nil, user: nil, reason: "unexpected SASL token"))
        }
        switch evaluate(token, nowMs: nowMs) {
        case (.success(let bytes), let outcome): return Step(reply: .rawToken(bytes), closesConnection: false, outcome: outcome)
        case (.failure, let outcome): return Step(reply: .none, closesConnection: true, outcome: outcome)
        }
    }

    /// Runs one token through the mechanism; on success the state moves on (challenge or done).
    private mutating func evaluate(_ token: [UInt8], nowMs: Int64) -> (Result<[UInt8], AuthenticationFailure>, Outcome?) {
        guard case .awaitingToken(let mechanism, let legacyFraming, let scram) = state else {
            return (.failure(AuthenticationFailure(message: "Unexpected SASL token")), nil)
        }
        state = .failed
        guard token.count <= settings.maximumTokenBytes else {
            let reason = "SASL token of \(token.count) bytes is larger than sasl.server.max.receive.size (\(settings.maximumTokenBytes))"
            return (.failure(AuthenticationFailure(message: reason)), .failed(mechanism, user: nil, reason: reason))
        }
        do throws(AuthenticationFailure) {
            let user: String
            let reply: [UInt8]
            if var exchange = scram {
                let credentials = settings.scramCredentials
                let scramMechanism = exchange.mechanism
                do throws(ScramError) {
                    if exchange.isAwaitingClientFirst {
                        let serverFirst = try exchange.receiveClientFirst(token) { credentials($0, scramMechanism) }
                        state = .awaitingToken(mechanism, legacyFraming: legacyFraming, scram: exchange)
                        return (.success(serverFirst), nil)
                    }
                    reply = try exchange.receiveClientFinal(token)
                } catch {
                    throw AuthenticationFailure(
                        message:
                            "Authentication failed during authentication due to invalid credentials with SASL mechanism \(mechanism)",
                        user: exchange.attemptedUser, detail: error.rawValue)
                }
                user = exchange.authenticatedUser ?? ""
            } else {
                do throws(PlainAuthentication.Failure) {
                    user = try PlainAuthentication.authenticate(token, users: settings.plainUsers)
                } catch {
                    throw AuthenticationFailure(message: error.message, user: PlainAuthentication.username(in: token))
                }
                reply = []
            }
            let principal = KafkaPrincipal(name: user)
            if let previous = reauthenticating, previous.principal != principal {
                throw AuthenticationFailure(
                    message: "Cannot change principals during re-authentication from \(previous.principal): \(principal)", user: user)
            }
            reauthenticating = nil
            let expiresAtMs = settings.sessionLifetimeMs > 0 ? nowMs + settings.sessionLifetimeMs : nil
            state = .authenticated(principal, mechanism, expiresAtMs: expiresAtMs)
            return (.success(reply), .succeeded(principal, mechanism))
        } catch {
            reauthenticating = nil
            return (.failure(error), .failed(mechanism, user: error.user, reason: error.detail ?? error.message))
        }
    }
}

/// Why a token was refused: `message` is what the client is told, `detail` what the log adds.
struct AuthenticationFailure: Error, Sendable {
    var message: String
    var user: String?
    var detail: String?
}
