import NIOSSL
import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("Listener and TLS settings", .tags(.pure))
struct ListenerSettingsTests {
    typealias KafkaListener = BrokerConfiguration.KafkaListener

    @Test func everyProtocolAndCustomNamesFromTheMap() throws {
        let configuration = try BrokerConfiguration(properties: [
            ("listener.security.protocol.map", "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL,SSL:SSL,PLAINTEXT:PLAINTEXT"),
            ("listeners", "EXTERNAL://0.0.0.0:9094, SSL://:9093,INTERNAL://10.1.2.3:9095,PLAINTEXT://[::1]:9092"),
        ])
        #expect(
            configuration.listeners == [
                KafkaListener(name: "EXTERNAL", securityProtocol: .saslSSL, host: "0.0.0.0", port: 9094),
                KafkaListener(name: "SSL", securityProtocol: .ssl, host: "localhost", port: 9093),
                KafkaListener(name: "INTERNAL", securityProtocol: .saslPlaintext, host: "10.1.2.3", port: 9095),
                KafkaListener(name: "PLAINTEXT", securityProtocol: .plaintext, host: "::1", port: 9092),
            ])
        #expect(configuration.listeners.last?.description == "PLAINTEXT://[::1]:9092")
    }

    @Test func advertisedListenersAreMatchedByName() throws {
        let configuration = try BrokerConfiguration(properties: [
            ("listeners", "PLAINTEXT://127.0.0.1:9092,SSL://0.0.0.0:9093"),
            ("advertised.listeners", "SSL://broker.example.com:19093"),
        ])
        #expect(configuration.advertisedListener(for: "ssl")?.description == "SSL://broker.example.com:19093")
        #expect(configuration.advertisedListener(for: "PLAINTEXT")?.description == "PLAINTEXT://127.0.0.1:9092", "none given: its own")
    }

    @Test(arguments: [
        ("listeners", "INTERNAL://:9092", "listener INTERNAL has no security protocol in listener.security.protocol.map"),
        ("listeners", "PLAINTEXT://:9092,SSL://:9092", "listeners PLAINTEXT and SSL both use port 9092"),
        ("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093", "listener PLAINTEXT is named twice"),
        ("listeners", "localhost:9092", "'localhost:9092' is not of the form NAME://host:port"),
        ("advertised.listeners", "SSL://example.com:9093", "SSL is not one of the listeners"),
        (
            "listener.security.protocol.map", "INTERNAL:TLS",
            "'TLS' in 'INTERNAL:TLS' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"
        ),
        ("ssl.enabled.protocols", "TLSv1.1", "'TLSv1.1' is not TLSv1.2 or TLSv1.3 (older versions are not offered)"),
        ("ssl.client.auth", "sometimes", "'sometimes' is not one of none, requested, required"),
        ("ssl.keystore.type", "JKS", "'JKS' is not one of PEM, PKCS12"),
    ])
    func badValuesStopStartUp(key: String, value: String, message: String) {
        #expect(throws: BrokerConfigurationError(key: key, message: message)) {
            try BrokerConfiguration(properties: [(key, value)])
        }
    }

    @Test func port0MayRepeat() throws {
        let configuration = try BrokerConfiguration(properties: [("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0")])
        #expect(configuration.listeners.map(\.port) == [0, 0])
    }

    @Test func sslSettingsAndPerListenerOverrides() throws {
        let configuration = try BrokerConfiguration(properties: [
            ("listeners", "SSL://:9093,INTERNAL://:9094"), ("listener.security.protocol.map", "SSL:SSL,INTERNAL:SSL"),
            ("ssl.keystore.type", "PKCS12"), ("ssl.keystore.location", "/etc/samsa/broker.p12"), ("ssl.keystore.password", "secret"),
            ("ssl.truststore.location", "/etc/samsa/ca.pem"), ("ssl.enabled.protocols", "TLSv1.3"),
            ("ssl.cipher.suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            ("listener.name.internal.ssl.client.auth", "required"),
        ])
        #expect(configuration.sslKeystoreType == .pkcs12)
        #expect(configuration.sslEnabledProtocols == [.tlsv13])
        #expect(configuration.sslCipherSuites.count == 2)
        #expect(configuration.sslClientAuth == .none)
        #expect(try configuration.tlsSettings(forListener: "INTERNAL").sslClientAuth == .required)
        #expect(try configuration.tlsSettings(forListener: "SSL").sslClientAuth == .none)
        #expect(configuration.listenerSSLOverrides == ["INTERNAL": ["ssl.client.auth": "required"]])
    }

    @Test func aBadPerListenerOverrideNamesItsKey() {
        #expect(
            throws: BrokerConfigurationError(
                key: "listener.name.internal.ssl.client.auth", message: "'maybe' is not one of none, requested, required")
        ) {
            try BrokerConfiguration(properties: [("listener.name.internal.ssl.client.auth", "maybe")])
        }
    }

    @Test func secretsAreNeverLogged() throws {
        let configuration = try BrokerConfiguration(properties: [
            ("ssl.keystore.password", "p12-secret"), ("ssl.key.password", "key-secret"),
            ("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----"),
        ])
        let logged = configuration.settingsDifferingFromDefaults.map { "\($0.key)=\($0.value)" }
        #expect(logged.sorted() == ["ssl.key.password=[hidden]", "ssl.keystore.key=[hidden]", "ssl.keystore.password=[hidden]"])
    }

    @Test func kafkaFilesWithInterBrokerSettingsStart() throws {
        var warnings: [String] = []
        let configuration = try BrokerConfiguration(
            properties: [
                ("listeners", "SASL_SSL://:9094,CONTROLLER://:9093"), ("controller.listener.names", "CONTROLLER"),
                ("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL"),
                ("inter.broker.listener.name", "SASL_SSL"), ("ssl.endpoint.identification.algorithm", "https"),
            ], warn: { warnings.append($0) })
        #expect(configuration.listeners.map(\.name) == ["SASL_SSL"], "the controller listener is not bound")
        #expect(warnings.count == 2)
    }

    @Test func certificateSubjectsPrintAsKafkasDefaultPrincipalBuilder() {
        let subject = [
            SSLCertificateName("Samsa", .organization), SSLCertificateName("Eng", .organizationalUnit),
            SSLCertificateName("carol", .commonName),
        ]
        #expect(KafkaPrincipal.rfc2253Name(subject) == "CN=carol,OU=Eng,O=Samsa")
        let special = [SSLCertificateName("DE", .country), SSLCertificateName("Müller, Hans+Co; \"x\"", .commonName)]
        #expect(KafkaPrincipal.rfc2253Name(special) == #"CN=Müller\, Hans\+Co\; \"x\",C=DE"#)
        #expect(KafkaPrincipal.rfc2253Name([SSLCertificateName("#1 ", .commonName)]) == ##"CN=\#1\ "##)
    }
}
