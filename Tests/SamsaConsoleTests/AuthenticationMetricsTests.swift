import KafkaBroker
import KafkaProtocol
import SamsaTestSupport
import Testing

/// `samsa_authentications_total` after real logins on a SASL_PLAINTEXT listener.
@Suite("Authentication metrics", .tags(.component))
struct AuthenticationMetricsTests {
    @Test func loginsAreCountedPerMechanismListenerAndResult() async throws {
        let settings = [
            "listeners": "SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config":
                #"org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";"#,
        ]
        try await InProcessBroker.with(settings: settings, console: .init()) { broker in
            let consolePort = try #require(broker.consolePort)
            try await RawKafkaConnection.with(port: broker.port) { connection in
                _ = try await connection.authenticatePlain(user: "alice", password: "alice-secret")
            }
            for _ in 0..<2 {
                try await RawKafkaConnection.with(port: broker.port) { connection in
                    _ = try? await connection.authenticatePlain(user: "alice", password: "wrong")
                }
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                _ = try? await connection.authenticateScram(mechanism: .sha256, user: "nobody", password: "x")
            }
            let metrics = try await MetricsEndpointTests.scrape(consolePort: consolePort)
            func count(_ mechanism: String, _ result: String) -> Double? {
                metrics.value(
                    "samsa_authentications_total", ["mechanism": mechanism, "listener": "sasl_plaintext", "result": result])
            }
            #expect(count("PLAIN", "success") == 1)
            #expect(count("PLAIN", "failure") == 2)
            #expect(count("SCRAM-SHA-256", "failure") == 1)
            #expect(count("SCRAM-SHA-256", "success") == nil)
        }
    }
}
