import KafkaProtocol
import KafkaScram
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("SASL connection state machine", .tags(.pure))
struct SaslServerSessionTests {
    static let aliceCredential = try! ScramCredential(mechanism: .sha256, password: "alice-secret", iterations: 4096)

    static func session(lifetimeMs: Int64 = 0, maximumTokenBytes: Int = 524_288) -> SaslServerSession {
        SaslServerSession(
            settings: .init(
                enabledMechanisms: [.plain, .scramSHA256], plainUsers: ["alice": "alice-secret"],
                scramCredentials: { user, mechanism in user == "alice" && mechanism == .sha256 ? aliceCredential : nil },
                sessionLifetimeMs: lifetimeMs, maximumTokenBytes: maximumTokenBytes))
    }

    static func authenticate(_ bytes: [UInt8]) -> SaslAuthenticateRequest {
        SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: bytes))
    }

    static func plainToken(_ user: String, _ password: String) -> [UInt8] { Array("\u{0}\(user)\u{0}\(password)".utf8) }

    static func authBytes(_ step: SaslServerSession.Step) -> [UInt8] {
        guard case .authenticate(let response) = step.reply else { return [] }
        return response.authBytes.getBytes(at: response.authBytes.readerIndex, length: response.authBytes.readableBytes) ?? []
    }

    @Test func onlyApiVersionsAndSaslRequestsPassBeforeAuthentication() {
        let session = Self.session()
        #expect(session.admission(of: .apiVersions, nowMs: 0) == .route)
        #expect(session.admission(of: .saslHandshake, nowMs: 0) == .authenticate)
        #expect(session.admission(of: .saslAuthenticate, nowMs: 0) == .authenticate)
        for apiKey in [ApiKey.metadata, .produce, .fetch, .createTopics, .alterUserScramCredentials] {
            guard case .close = session.admission(of: apiKey, nowMs: 0) else {
                Issue.record("\(apiKey) passed the gate")
                continue
            }
        }
        #expect(session.principal == nil)
    }

    @Test func plainAuthenticatesAndReportsTheSessionLifetimeFromV1() throws {
        var session = Self.session(lifetimeMs: 60_000)
        let handshake = session.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        guard case .handshake(let handshakeResponse) = handshake.reply else { throw TestFailure("no handshake response") }
        #expect(handshakeResponse.errorCode == 0)
        #expect(handshakeResponse.mechanisms == ["PLAIN", "SCRAM-SHA-256"])
        let step = session.receive(Self.authenticate(Self.plainToken("alice", "alice-secret")), version: 2, nowMs: 1_000)
        guard case .authenticate(let response) = step.reply else { throw TestFailure("no authenticate response") }
        #expect(response.errorCode == 0)
        #expect(response.sessionLifetimeMs == 60_000)
        #expect(!step.closesConnection)
        #expect(step.outcome == .succeeded(KafkaPrincipal(name: "alice"), .plain))
        #expect(session.principal == KafkaPrincipal(name: "alice"))
        #expect(session.admission(of: .produce, nowMs: 61_000) == .route)
        guard case .close = session.admission(of: .produce, nowMs: 61_001) else {
            throw TestFailure("a request after the session expired was served")
        }
    }

    @Test func aWrongPasswordFailsWithKafkasMessageAndCloses() throws {
        var session = Self.session()
        _ = session.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        let step = session.receive(Self.authenticate(Self.plainToken("alice", "nope")), version: 1, nowMs: 0)
        guard case .authenticate(let response) = step.reply else { throw TestFailure("no authenticate response") }
        #expect(response.errorCode == ErrorCode.saslAuthenticationFailed.rawValue)
        #expect(response.errorMessage == "Authentication failed: Invalid username or password")
        #expect(step.closesConnection)
        #expect(step.outcome == .failed(.plain, user: "alice", reason: "Authentication failed: Invalid username or password"))
        #expect(session.principal == nil)
        guard case .close = session.admission(of: .saslHandshake, nowMs: 0) else { throw TestFailure("a failed session went on") }
    }

    @Test func anUnsupportedMechanismGetsTheEnabledList() throws {
        var session = Self.session()
        let step = session.receive(SaslHandshakeRequest(mechanism: "GSSAPI"), version: 1)
        guard case .handshake(let response) = step.reply else { throw TestFailure("no handshake response") }
        #expect(response.errorCode == ErrorCode.unsupportedSaslMechanism.rawValue)
        #expect(response.mechanisms == ["PLAIN", "SCRAM-SHA-256"])
        #expect(step.closesConnection)
        // An implemented mechanism that this listener does not enable is just as unsupported.
        var other = Self.session()
        guard case .handshake(let disabled) = other.receive(SaslHandshakeRequest(mechanism: "SCRAM-SHA-512"), version: 1).reply else {
            throw TestFailure("no handshake response")
        }
        #expect(disabled.errorCode == ErrorCode.unsupportedSaslMechanism.rawValue)
    }

    @Test func scramTakesTwoRoundTrips() throws {
        var session = Self.session()
        var client = ScramClientExchange(digest: .sha256, user: "alice", password: "alice-secret")
        _ = session.receive(SaslHandshakeRequest(mechanism: "SCRAM-SHA-256"), version: 1)
        let first = session.receive(Self.authenticate(client.clientFirst), version: 2, nowMs: 0)
        #expect(first.outcome == nil && !first.closesConnection)
        #expect(session.principal == nil)
        let final = session.receive(
            Self.authenticate(try client.clientFinal(serverFirst: Self.authBytes(first))), version: 2, nowMs: 0)
        #expect(final.outcome == .succeeded(KafkaPrincipal(name: "alice"), .scramSHA256))
        try client.verify(serverFinal: Self.authBytes(final))
        #expect(session.admission(of: .metadata, nowMs: 0) == .route)
    }

    @Test func aWrongScramPasswordGetsKafkasScramMessage() throws {
        var session = Self.session()
        var client = ScramClientExchange(digest: .sha256, user: "alice", password: "wrong")
        _ = session.receive(SaslHandshakeRequest(mechanism: "SCRAM-SHA-256"), version: 1)
        let first = session.receive(Self.authenticate(client.clientFirst), version: 2, nowMs: 0)
        let final = session.receive(
            Self.authenticate(try client.clientFinal(serverFirst: Self.authBytes(first))), version: 2, nowMs: 0)
        guard case .authenticate(let response) = final.reply else { throw TestFailure("no authenticate response") }
        #expect(response.errorCode == ErrorCode.saslAuthenticationFailed.rawValue)
        #expect(
            response.errorMessage
                == "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256")
        #expect(final.outcome == .failed(.scramSHA256, user: "alice", reason: "invalid-proof"))
        #expect(final.closesConnection)
    }

    @Test func theLegacyV0HandshakeTakesRawTokens() throws {
        var session = Self.session()
        var client = ScramClientExchange(digest: .sha256, user: "alice", password: "alice-secret")
        _ = session.receive(SaslHandshakeRequest(mechanism: "SCRAM-SHA-256"), version: 0)
        #expect(session.expectsRawToken)
        guard case .rawToken(let serverFirst) = session.receive(rawToken: client.clientFirst, nowMs: 0).reply else {
            throw TestFailure("no raw server-first token")
        }
        #expect(session.expectsRawToken)
        let final = session.receive(rawToken: try client.clientFinal(serverFirst: serverFirst), nowMs: 0)
        guard case .rawToken(let serverFinal) = final.reply else { throw TestFailure("no raw server-final token") }
        try client.verify(serverFinal: serverFinal)
        #expect(!session.expectsRawToken)
        #expect(session.principal == KafkaPrincipal(name: "alice"))

        var failing = Self.session()
        _ = failing.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 0)
        let refused = failing.receive(rawToken: Self.plainToken("alice", "nope"), nowMs: 0)
        guard case .none = refused.reply else { throw TestFailure("a legacy failure was answered") }
        #expect(refused.closesConnection)
    }

    @Test func anOversizedTokenIsRefused() {
        var session = Self.session(maximumTokenBytes: 64)
        _ = session.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        let step = session.receive(Self.authenticate(Self.plainToken("alice", String(repeating: "x", count: 100))), version: 1, nowMs: 0)
        #expect(step.closesConnection)
        #expect(session.principal == nil)
    }

    @Test func outOfOrderRequestsAreIllegal() throws {
        var session = Self.session()
        let early = session.receive(Self.authenticate(Self.plainToken("alice", "alice-secret")), version: 1, nowMs: 0)
        guard case .authenticate(let response) = early.reply else { throw TestFailure("no authenticate response") }
        #expect(response.errorCode == ErrorCode.illegalSaslState.rawValue)
        #expect(early.closesConnection)

        var twice = Self.session()
        _ = twice.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        guard case .handshake(let second) = twice.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1).reply else {
            throw TestFailure("no handshake response")
        }
        #expect(second.errorCode == ErrorCode.illegalSaslState.rawValue)
    }

    @Test func reauthenticationKeepsThePrincipalAndRenewsTheSession() throws {
        var session = Self.session(lifetimeMs: 1_000)
        _ = session.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        _ = session.receive(Self.authenticate(Self.plainToken("alice", "alice-secret")), version: 1, nowMs: 0)
        #expect(session.admission(of: .saslHandshake, nowMs: 5_000) == .authenticate)
        _ = session.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        let renewed = session.receive(Self.authenticate(Self.plainToken("alice", "alice-secret")), version: 1, nowMs: 5_000)
        #expect(renewed.outcome == .succeeded(KafkaPrincipal(name: "alice"), .plain))
        #expect(session.admission(of: .fetch, nowMs: 5_500) == .route)

        var switching = SaslServerSession(
            settings: .init(
                enabledMechanisms: [.plain], plainUsers: ["alice": "a", "bob": "b"], scramCredentials: { _, _ in nil },
                sessionLifetimeMs: 1_000))
        _ = switching.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        _ = switching.receive(Self.authenticate(Self.plainToken("alice", "a")), version: 1, nowMs: 0)
        _ = switching.receive(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
        let other = switching.receive(Self.authenticate(Self.plainToken("bob", "b")), version: 1, nowMs: 10)
        #expect(other.closesConnection)
        #expect(switching.principal == nil)
    }
}
