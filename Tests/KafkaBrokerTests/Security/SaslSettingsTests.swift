import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("SASL settings", .tags(.pure))
struct SaslSettingsTests {
    static let plainJaas =
        #"org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret";"#

    @Test func readsKafkasSaslKeysForASaslPlaintextListener() throws {
        var warnings: [String] = []
        let configuration = try BrokerConfiguration(
            properties: [
                ("listeners", "SASL_PLAINTEXT://127.0.0.1:9094"),
                ("sasl.enabled.mechanisms", "PLAIN, SCRAM-SHA-512"),
                ("listener.name.SASL_PLAINTEXT.PLAIN.sasl.jaas.config", Self.plainJaas),
                ("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                ("connections.max.reauth.ms", "3600000"),
            ], warn: { warnings.append($0) })
        #expect(warnings.count == 1 && warnings[0].contains("sasl.mechanism.inter.broker.protocol"), "accepted with a warning: one broker")
        let listener = try #require(configuration.listeners.first)
        #expect(listener == .init(name: "SASL_PLAINTEXT", securityProtocol: .saslPlaintext, host: "127.0.0.1", port: 9094))
        #expect(configuration.saslJaasConfigs == ["sasl_plaintext.plain": Self.plainJaas])
        let settings = try #require(try configuration.saslSessionSettings(for: listener) { _, _ in nil })
        #expect(settings.enabledMechanisms == [.plain, .scramSHA512])
        #expect(settings.plainUsers == ["admin": "admin-secret"])
        #expect(settings.sessionLifetimeMs == 3_600_000)
        #expect(settings.maximumTokenBytes == 524_288)
        let shown = configuration.settingsDifferingFromDefaults.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        #expect(!shown.contains("admin-secret"), "JAAS passwords stay out of the start-up log")
        #expect(shown.contains("listener.name.sasl_plaintext.plain.sasl.jaas.config=[hidden]"))
    }

    @Test func kafkasDefaultGssapiCannotServeASaslListener() throws {
        let configuration = try BrokerConfiguration(properties: [("listeners", "SASL_PLAINTEXT://:9094")])
        let error = #expect(throws: BrokerConfigurationError.self) {
            try configuration.saslSessionSettings(for: configuration.listeners[0]) { _, _ in nil }
        }
        #expect(error?.key == "sasl.enabled.mechanisms")
        #expect(error?.message.contains("GSSAPI is not supported") == true)
        let plaintext = try BrokerConfiguration(properties: [])
        let plaintextSettings = try plaintext.saslSessionSettings(for: plaintext.listeners[0]) { _, _ in nil }
        #expect(plaintextSettings == nil, "a PLAINTEXT listener needs no mechanism")
    }

    @Test func plainNeedsItsJaasLine() throws {
        let configuration = try BrokerConfiguration(
            properties: [("listeners", "SASL_PLAINTEXT://:9094"), ("sasl.enabled.mechanisms", "PLAIN")])
        let error = #expect(throws: BrokerConfigurationError.self) {
            try configuration.saslSessionSettings(for: configuration.listeners[0]) { _, _ in nil }
        }
        #expect(error?.key == "listener.name.sasl_plaintext.plain.sasl.jaas.config")
    }

    /// Each SASL listener reads the JAAS lines of its own name, as Kafka's `listener.name.<name>.` keys.
    @Test func aCustomListenerNameFindsItsOwnJaasLine() throws {
        let configuration = try BrokerConfiguration(properties: [
            ("listeners", "INTERNAL://127.0.0.1:9094,EXTERNAL://127.0.0.1:9095"),
            ("listener.security.protocol.map", "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT"),
            ("sasl.enabled.mechanisms", "PLAIN"),
            ("listener.name.internal.plain.sasl.jaas.config", Self.plainJaas),
        ])
        let internalSettings = try #require(try configuration.saslSessionSettings(for: configuration.listeners[0]) { _, _ in nil })
        #expect(internalSettings.plainUsers == ["admin": "admin-secret"])
        #expect(internalSettings.listenerName == "internal")
        let error = #expect(throws: BrokerConfigurationError.self) {
            try configuration.saslSessionSettings(for: configuration.listeners[1]) { _, _ in nil }
        }
        #expect(error?.key == "listener.name.external.plain.sasl.jaas.config")
    }

    @Test func aMalformedJaasLineStopsStartUp() {
        let error = #expect(throws: BrokerConfigurationError.self) {
            try BrokerConfiguration(properties: [
                ("listener.name.sasl_plaintext.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required")
            ])
        }
        #expect(error?.message.contains("listener.name.sasl_plaintext.plain.sasl.jaas.config") == true)
    }
}
