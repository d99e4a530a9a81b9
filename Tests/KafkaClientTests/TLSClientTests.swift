import Foundation
import KafkaClient
import SamsaTestSupport
import Testing

/// The SDK over SSL with kafka-python's option names: the broker's certificate checked against
/// `sslCafile` with hostname checking on, and a client certificate for a listener that requires one.
@Suite("SDK over SSL", .serialized, .tags(.component), .timeLimit(.minutes(1)))
struct TLSClientTests {
    static func withTLSBroker(_ body: (InProcessBroker, TestCertificates) async throws -> Void) async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let settings = [
            "listeners": "SSL://localhost:0,MTLS://localhost:0", "listener.security.protocol.map": "SSL:SSL,MTLS:SSL",
            "ssl.keystore.location": certificates.serverKeystore, "ssl.truststore.location": certificates.caCertificate,
            "listener.name.mtls.ssl.client.auth": "required",
        ]
        try await InProcessBroker.with(settings: settings) { broker in try await body(broker, certificates) }
    }

    /// kafka-python's SSL options: the CA, and optionally a client certificate and its key.
    static func sslOptions(cafile: String, certfile: String? = nil, keyfile: String? = nil) -> KafkaSecurityOptions {
        var options = KafkaSecurityOptions()
        options.securityProtocol = .ssl
        options.sslCafile = cafile
        options.sslCertfile = certfile
        options.sslKeyfile = keyfile
        return options
    }

    static func roundTrip(bootstrap: String, topic: String, ssl: KafkaSecurityOptions) async throws -> [String] {
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: [bootstrap])
        producerConfiguration.maxBlockMs = 10_000
        producerConfiguration.security = ssl
        let producer = try KafkaProducer(configuration: producerConfiguration)
        for index in 0..<3 {
            _ = try await producer.send(topic: topic, value: "secret \(index)")
        }
        await producer.close()
        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: [bootstrap])
        consumerConfiguration.fetchMaxWaitMs = 100
        consumerConfiguration.autoOffsetReset = .earliest
        consumerConfiguration.valueDeserializer = .utf8
        consumerConfiguration.security = ssl
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try await consumer.assign([TopicPartition(topic: topic, partition: 0)])
        let records = try await consumer.collect(3)
        await consumer.close()
        return records.compactMap(\.stringValue)
    }

    @Test func producesAndConsumesOverSSLWithTheHostnameChecked() async throws {
        try await Self.withTLSBroker { broker, certificates in
            let bootstrap = "localhost:\(try #require(broker.listenerPorts["SSL"]))"
            let values = try await Self.roundTrip(
                bootstrap: bootstrap, topic: "sdk-ssl", ssl: Self.sslOptions(cafile: certificates.caCertificate))
            #expect(values == ["secret 0", "secret 1", "secret 2"])
        }
    }

    @Test func showsAClientCertificateWhereTheListenerRequiresOne() async throws {
        try await Self.withTLSBroker { broker, certificates in
            let bootstrap = "localhost:\(try #require(broker.listenerPorts["MTLS"]))"
            let ssl = Self.sslOptions(
                cafile: certificates.caCertificate, certfile: certificates.clientCertificate, keyfile: certificates.clientKey)
            let values = try await Self.roundTrip(bootstrap: bootstrap, topic: "sdk-mtls", ssl: ssl)
            #expect(values == ["secret 0", "secret 1", "secret 2"])
        }
    }

    @Test func aBrokerCertificateOfAnotherCAIsRefused() async throws {
        try await Self.withTLSBroker { broker, certificates in
            var configuration = KafkaProducerConfiguration(bootstrapServers: ["localhost:\(try #require(broker.listenerPorts["SSL"]))"])
            configuration.securityProtocol = .ssl
            configuration.sslCafile = certificates.path("other-ca.pem")
            configuration.maxBlockMs = 2_000
            configuration.bootstrapTimeoutMs = 2_000
            let producer = try KafkaProducer(configuration: configuration)
            await #expect(throws: KafkaError.self) { try await producer.send(topic: "never", value: "x") }
            await producer.close()
        }
    }

    @Test func securityOptionsTakeKafkaPythonAndDottedKeys() throws {
        let configuration = try KafkaAdminConfiguration(properties: [
            "security.protocol": "ssl", "ssl_cafile": "/ca.pem", "ssl.certfile": "/me.pem", "ssl_keyfile": "/me.key",
            "ssl.password": "secret", "ssl.check.hostname": "false",
        ])
        #expect(configuration.securityProtocol == .ssl)
        #expect(configuration.sslCafile == "/ca.pem")
        #expect(configuration.sslCertfile == "/me.pem")
        #expect(configuration.sslKeyfile == "/me.key")
        #expect(configuration.sslPassword == "secret")
        #expect(!configuration.sslCheckHostname)
        #expect(KafkaAdminConfiguration().securityProtocol == .plaintext)
        #expect(throws: KafkaError.self) { try KafkaAdminConfiguration(properties: ["security.protocol": "KERBEROS"]) }
    }

    @Test func saslOptionsTakeKafkaPythonAndDottedKeys() throws {
        let configuration = try KafkaConsumerConfiguration(properties: [
            "security_protocol": "sasl_ssl", "sasl.mechanism": "scram-sha-512", "sasl_plain_username": "alice",
            "sasl.plain.password": "alice-secret",
        ])
        #expect(configuration.securityProtocol == .saslSSL)
        #expect(configuration.saslMechanism == .scramSHA512)
        #expect(configuration.saslPlainUsername == "alice")
        #expect(configuration.saslPlainPassword == "alice-secret")
        #expect(KafkaProducerConfiguration().saslMechanism == .plain)
        let jaas = try KafkaAdminConfiguration(properties: [
            "sasl.jaas.config":
                #"org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="bob-secret";"#
        ])
        #expect(jaas.saslJaasConfig.flatMap(KafkaSecurityOptions.jaasLogin).map { [$0.username, $0.password] } == ["bob", "bob-secret"])
        #expect(throws: KafkaError.self) { try KafkaAdminConfiguration(properties: ["sasl.jaas.config": "PlainLoginModule required;"]) }
        #expect(throws: KafkaError.self) { try KafkaProducerConfiguration(properties: ["sasl_mechanism": "GSSAPI"]) }
        var withoutPassword = KafkaProducerConfiguration()
        withoutPassword.securityProtocol = .saslPlaintext
        withoutPassword.saslPlainUsername = "alice"
        #expect {
            _ = try KafkaProducer(configuration: withoutPassword)
        } throws: {
            ($0 as? KafkaError)?.code == .invalidConfiguration && "\($0)".contains("sasl_plain_password")
        }
    }
}
