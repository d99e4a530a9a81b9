import Foundation
import KafkaProtocol
import KafkaScram
import Logging
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaBroker

/// A broker whose listener is SASL_PLAINTEXT, driven over raw frames: the gate before
/// authentication, PLAIN and SCRAM, refusals, the legacy v0 framing and SCRAM users.
@Suite("SASL listener", .serialized, .tags(.component))
struct SaslListenerTests {
    static let settings = [
        "listeners": "SASL_PLAINTEXT://127.0.0.1:0",
        "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config":
            #"org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";"#,
        "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config": "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    ]

    /// Sends `request` and expects the broker to close the connection without an answer.
    static func expectClosed(port: Int, _ steps: (inout RawKafkaConnection) async throws -> Void) async throws {
        try await RawKafkaConnection.with(port: port) { connection in
            try await steps(&connection)
            let frame = try await connection.receiveFrame()
            #expect(frame == nil, "the broker answered instead of closing")
        }
    }

    static func scramUpsertion(
        _ user: String, _ mechanism: ScramMechanism, password: String, iterations: Int32 = 4096
    ) throws -> AlterUserScramCredentialsRequest.ScramCredentialUpsertion {
        let salt = ScramCredential.randomSalt()
        let saltedPassword = try mechanism.saltedPassword(password: password, salt: salt, iterations: iterations)
        return .init(
            name: user, mechanism: mechanism.rawValue, iterations: iterations, salt: ByteBuffer(bytes: salt),
            saltedPassword: ByteBuffer(bytes: saltedPassword))
    }

    @Test func onlyApiVersionsAndSaslAreAnsweredBeforeAuthentication() async throws {
        try await InProcessBroker.with(settings: Self.settings) { broker in
            try await Self.expectClosed(port: broker.port) { connection in
                let versions = try await connection.roundTrip(
                    ApiVersionsRequest(clientSoftwareName: "samsa-test", clientSoftwareVersion: "1"), version: 3)
                #expect(versions.errorCode == 0)
                #expect(versions.apiKeys.contains { $0.apiKey == ApiKey.saslAuthenticate.rawValue && $0.maxVersion == 2 })
                try await connection.send(MetadataRequest(topics: []), version: 9)
            }
            try await Self.expectClosed(port: broker.port) { connection in
                try await connection.send(
                    ProduceRequest(acks: 1, timeoutMs: 1_000, topicData: [.init(name: "sneaky", partitionData: [])]), version: 9)
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.authenticatePlain(user: "alice", password: "alice-secret")
                #expect(response.sessionLifetimeMs == 0)
                let metadata = try await connection.roundTrip(MetadataRequest(topics: []), version: 9)
                #expect(metadata.topics.allSatisfy { $0.name != "sneaky" }, "nothing was created before authentication")
                try await connection.createTopic("after-login")
                #expect(try await connection.produce("after-login", partition: 0, values: ["hello"]).error == .noError)
            }
        }
    }

    @Test func wrongPasswordsAndUnknownUsersAreRefusedWithKafkasMessagesAndLoggedOnce() async throws {
        let lines = RecordedLogLines()
        let logger = Logger(label: "samsa.test") { _ in RecordingLogHandler(lines: lines, logLevel: .info) }
        try await InProcessBroker.with(settings: Self.settings, logger: logger) { broker in
            for (user, password) in [("alice", "wrong"), ("mallory", "alice-secret")] {
                try await Self.expectClosed(port: broker.port) { connection in
                    let error = await #expect(throws: RawKafkaConnection.SaslFailure.self) {
                        try await connection.authenticatePlain(user: user, password: password)
                    }
                    #expect(error?.code == ErrorCode.saslAuthenticationFailed.rawValue)
                    #expect(error?.message == "Authentication failed: Invalid username or password")
                }
            }
            try await Self.expectClosed(port: broker.port) { connection in
                let error = await #expect(throws: RawKafkaConnection.SaslFailure.self) {
                    try await connection.authenticateScram(mechanism: .sha512, user: "nobody", password: "x")
                }
                #expect(error?.code == ErrorCode.saslAuthenticationFailed.rawValue)
                #expect(
                    error?.message
                        == "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let error = await #expect(throws: RawKafkaConnection.SaslFailure.self) {
                    try await connection.handshake(mechanism: "GSSAPI")
                }
                #expect(error?.code == ErrorCode.unsupportedSaslMechanism.rawValue)
                #expect(error?.message == "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512")
            }
        }
        #expect(lines.count(containing: "Failed authentication") == 4)
        #expect(lines.count(containing: "mechanism=PLAIN") == 2)
        #expect(lines.count(containing: "user=mallory") == 1)
        #expect(lines.count(containing: "mechanism=SCRAM-SHA-512") == 1)
        #expect(lines.all.allSatisfy { !$0.contains("alice-secret") }, "no password reaches the log")
    }

    @Test func anOversizedTokenClosesTheConnectionAndOthersAreServed() async throws {
        var settings = Self.settings
        settings["sasl.server.max.receive.size"] = "1024"
        try await InProcessBroker.with(settings: settings) { broker in
            try await Self.expectClosed(port: broker.port) { connection in
                try await connection.handshake(mechanism: "PLAIN")
                try await connection.send(
                    SaslAuthenticateRequest(authBytes: ByteBuffer(repeating: 0x41, count: 4_096)), version: 2)
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                _ = try await connection.authenticatePlain(user: "admin", password: "admin-secret")
            }
        }
    }

    /// SCRAM in the legacy framing: PLAIN's empty success token would be a frame of size 0, which
    /// the test connection's frame decoder refuses.
    @Test func theLegacyV0HandshakeCarriesRawTokens() async throws {
        try await InProcessBroker.with(settings: Self.settings) { broker in
            try await RawKafkaConnection.with(port: broker.port) { admin in
                _ = try await admin.authenticatePlain(user: "admin", password: "admin-secret")
                let altered = try await admin.roundTrip(
                    AlterUserScramCredentialsRequest(upsertions: [try Self.scramUpsertion("dave", .sha256, password: "dave-secret")]),
                    version: 0)
                #expect(altered.results.map(\.errorCode) == [0])
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                var client = ScramClientExchange(digest: .sha256, user: "dave", password: "dave-secret")
                try await connection.handshake(mechanism: "SCRAM-SHA-256", version: 0)
                try await connection.sendRawToken(client.clientFirst)
                let serverFirst = try #require(try await connection.receiveFrame(), "the raw server-first token")
                try await connection.sendRawToken(try client.clientFinal(serverFirst: Array(buffer: serverFirst)))
                let serverFinal = try #require(try await connection.receiveFrame(), "the raw server-final token")
                try client.verify(serverFinal: Array(buffer: serverFinal))
                let metadata = try await connection.roundTrip(MetadataRequest(topics: []), version: 1)
                #expect(metadata.brokers.count == 1)
            }
            try await Self.expectClosed(port: broker.port) { connection in
                try await connection.handshake(mechanism: "PLAIN", version: 0)
                try await connection.sendRawToken(Array("\u{0}alice\u{0}wrong-password".utf8))
            }
        }
    }

    @Test func scramUsersAreManagedThroughTheAdminApiAndSurviveARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-sasl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await InProcessBroker.with(settings: Self.settings, dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { admin in
                _ = try await admin.authenticatePlain(user: "admin", password: "admin-secret")
                let altered = try await admin.roundTrip(
                    AlterUserScramCredentialsRequest(
                        deletions: [.init(name: "ghost", mechanism: 1)],
                        upsertions: [
                            try Self.scramUpsertion("carol", .sha512, password: "carol-secret", iterations: 8192),
                            try Self.scramUpsertion("carol", .sha256, password: "carol-secret"),
                            try Self.scramUpsertion("weak", .sha256, password: "x", iterations: 100),
                            try Self.scramUpsertion("twice", .sha256, password: "x"),
                            try Self.scramUpsertion("twice", .sha256, password: "y"),
                        ]),
                    version: 0)
                let results = Dictionary(uniqueKeysWithValues: altered.results.map { ($0.user, ($0.errorCode, $0.errorMessage)) })
                #expect(results["carol"]?.0 == 0)
                #expect(results["ghost"]?.0 == ErrorCode.resourceNotFound.rawValue)
                #expect(results["weak"]?.0 == ErrorCode.unacceptableCredential.rawValue)
                #expect(results["weak"]?.1 == "Too few iterations")
                #expect(results["twice"]?.0 == ErrorCode.duplicateResource.rawValue)

                let described = try await admin.roundTrip(DescribeUserScramCredentialsRequest(users: nil), version: 0)
                #expect(described.results.map(\.user) == ["carol"], "users whose change failed were not stored")
                let carol = try #require(described.results.first)
                #expect(carol.credentialInfos.map(\.mechanism) == [1, 2])
                #expect(carol.credentialInfos.map(\.iterations) == [4096, 8192])
                let missing = try await admin.roundTrip(DescribeUserScramCredentialsRequest(users: [.init(name: "nobody")]), version: 0)
                #expect(missing.results.first?.errorCode == ErrorCode.resourceNotFound.rawValue)
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.authenticateScram(mechanism: .sha512, user: "carol", password: "carol-secret")
                _ = try await connection.roundTrip(MetadataRequest(topics: []), version: 9)
            }
        }
        let stored = try String(contentsOfFile: folder + "/" + ScramCredentialStore.fileName, encoding: .utf8)
        #expect(!stored.contains("carol-secret"), "the password is never stored")
        try await InProcessBroker.with(settings: Self.settings, dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.authenticateScram(mechanism: .sha256, user: "carol", password: "carol-secret")
            }
            try await Self.expectClosed(port: broker.port) { connection in
                await #expect(throws: RawKafkaConnection.SaslFailure.self) {
                    try await connection.authenticateScram(mechanism: .sha256, user: "carol", password: "wrong")
                }
            }
        }
    }

    @Test func anExpiredSessionIsClosedUnlessItReauthenticates() async throws {
        var settings = Self.settings
        settings["connections.max.reauth.ms"] = "300"
        try await InProcessBroker.with(settings: settings) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.authenticatePlain(user: "alice", password: "alice-secret", version: 1)
                #expect(response.sessionLifetimeMs == 300)
                try await Task.sleep(for: .milliseconds(400))
                _ = try await connection.authenticatePlain(user: "alice", password: "alice-secret")
                _ = try await connection.roundTrip(MetadataRequest(topics: []), version: 9)
            }
            try await Self.expectClosed(port: broker.port) { connection in
                _ = try await connection.authenticatePlain(user: "alice", password: "alice-secret")
                try await Task.sleep(for: .milliseconds(400))
                try await connection.send(MetadataRequest(topics: []), version: 9)
            }
        }
    }

    @Test func aClientTooSlowToLogInIsCutOff() async throws {
        var settings = Self.settings
        settings["sasl.authentication.timeout.ms"] = "300"
        try await InProcessBroker.with(settings: settings) { broker in
            try await Self.expectClosed(port: broker.port) { connection in
                _ = try await connection.roundTrip(ApiVersionsRequest(), version: 0)
                try await Task.sleep(for: .milliseconds(500))
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                _ = try await connection.authenticatePlain(user: "alice", password: "alice-secret")
                try await Task.sleep(for: .milliseconds(500))
                _ = try await connection.roundTrip(MetadataRequest(topics: []), version: 9)
            }
        }
    }

    @Test func saslRequestsOnAPlaintextListenerAreIllegal() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.roundTrip(SaslHandshakeRequest(mechanism: "PLAIN"), version: 1)
                #expect(response.errorCode == ErrorCode.illegalSaslState.rawValue)
            }
        }
    }
}
