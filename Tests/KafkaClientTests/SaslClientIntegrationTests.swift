import Foundation
import KafkaBroker
import KafkaClient
import KafkaProtocol
import SamsaTestSupport
import Testing

extension ClientIntegrationSuite {
    /// The SDK over SASL_PLAINTEXT and SASL_SSL (the server's certificate checked with hostname
    /// checking on) against the built `samsa`, with kafka-python's option names: PLAIN from the
    /// listener's JAAS line, SCRAM-SHA-256 and SCRAM-SHA-512 from users stored before start.
    @Suite(.timeLimit(.minutes(3)))
    struct SaslClientIntegrationTests {
        static let jaas = #"org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";"#

        /// The bootstrap servers of a SASL_PLAINTEXT and a SASL_SSL listener of one broker.
        static func withSaslBroker(_ body: (_ plaintext: String, _ ssl: String, TestCertificates) async throws -> Void) async throws {
            let certificates = try TestCertificates.make()
            defer { certificates.remove() }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-sdk-sasl-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try ScramCredentialStore.storeUsers(["alice": "alice-secret"], dataDirectory: folder)
            let port = try Loopback.freePort()
            let sslPort = try Loopback.freePort()
            let settings = [
                "listeners": "SASL_PLAINTEXT://127.0.0.1:\(port),SASL_SSL://localhost:\(sslPort)",
                "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config": jaas, "listener.name.sasl_ssl.plain.sasl.jaas.config": jaas,
                "ssl.keystore.location": certificates.serverKeystore, "ssl.truststore.location": certificates.caCertificate,
            ]
            let broker = try await BrokerProcess.samsa(dataDirectory: folder, port: port, settings: settings)
            defer { broker.terminate() }
            try await body("127.0.0.1:\(port)", "localhost:\(sslPort)", certificates)
        }

        static func options(
            _ securityProtocol: KafkaSecurityProtocol, _ mechanism: KafkaSaslMechanism, password: String = "alice-secret",
            cafile: String
        ) -> KafkaSecurityOptions {
            var options = KafkaSecurityOptions()
            options.securityProtocol = securityProtocol
            options.sslCafile = cafile
            options.saslMechanism = mechanism
            options.saslPlainUsername = "alice"
            options.saslPlainPassword = password
            return options
        }

        @Test func producesConsumesAndAdministersWithEveryMechanismOverBothProtocols() async throws {
            try await Self.withSaslBroker { plaintext, ssl, certificates in
                for (securityProtocol, bootstrap) in [(KafkaSecurityProtocol.saslPlaintext, plaintext), (.saslSSL, ssl)] {
                    for mechanism in [KafkaSaslMechanism.plain, .scramSHA256, .scramSHA512] {
                        let security = Self.options(securityProtocol, mechanism, cafile: certificates.caCertificate)
                        let topic = "sdk-\(securityProtocol.rawValue)-\(mechanism.rawValue)".lowercased()
                        var adminConfiguration = KafkaAdminConfiguration(bootstrapServers: [bootstrap])
                        adminConfiguration.security = security
                        let admin = try KafkaAdminClient(configuration: adminConfiguration)
                        try await admin.createTopics([NewTopic(name: topic, numPartitions: 1)])
                        await admin.close()
                        let values = try await TLSClientTests.roundTrip(bootstrap: bootstrap, topic: topic, ssl: security)
                        #expect(values == ["secret 0", "secret 1", "secret 2"], "\(securityProtocol) \(mechanism)")
                    }
                }
            }
        }

        @Test func aWrongPasswordFailsAtOnceWithTheBrokersMessage() async throws {
            try await Self.withSaslBroker { plaintext, ssl, certificates in
                for (securityProtocol, bootstrap) in [(KafkaSecurityProtocol.saslPlaintext, plaintext), (.saslSSL, ssl)] {
                    for mechanism in [KafkaSaslMechanism.plain, .scramSHA512] {
                        var configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrap])
                        configuration.security = Self.options(
                            securityProtocol, mechanism, password: "wrong", cafile: certificates.caCertificate)
                        // Far longer than the refusal takes: a client that retried would run into it.
                        configuration.maxBlockMs = 60_000
                        configuration.bootstrapTimeoutMs = 60_000
                        let producer = try KafkaProducer(configuration: configuration)
                        let started = ContinuousClock.now
                        await #expect {
                            _ = try await producer.send(topic: "never", value: "x")
                        } throws: { error in
                            guard let error = error as? KafkaError else { return false }
                            return error.code == .authenticationFailed && error.errorCode == .saslAuthenticationFailed
                                && error.brokerMessage?.contains("Authentication failed") == true
                        }
                        #expect(ContinuousClock.now - started < .seconds(20), "\(securityProtocol) \(mechanism)")
                        await producer.close()
                    }
                }
            }
        }
    }
}
