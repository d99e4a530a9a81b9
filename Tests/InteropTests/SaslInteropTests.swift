import Foundation
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The built `samsa` on a SASL_PLAINTEXT listener with kafka-python 3: the first admin comes
    /// from `samsa storage format --add-scram`, the admin client creates a user with
    /// AlterUserScramCredentials, and that user still logs in after the broker is killed with
    /// SIGKILL and restarted on the same data folder; a wrong password still does not.
    @Suite("SASL with kafka-python and the samsa executable", .serialized)
    struct SaslInteropTests {
        static let settings = [
            "listeners": "SASL_PLAINTEXT://127.0.0.1:0",
            "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config":
                #"org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";"#,
        ]

        static func roundTrip(_ broker: BrokerProcess, _ arguments: [String: String]) async throws -> [String: JSONValue] {
            try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("sasl_round_trip"),
                arguments: ["bootstrap-server": broker.bootstrapServer].merging(arguments) { $1 })
        }

        static func values(_ result: [String: JSONValue]) -> [String] {
            guard case .array(let values) = result["values"] else { return [] }
            return values.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }

        @Test func scramUsersSurviveSigkillAndWrongPasswordsAreRefused() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-sasl-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let format = try await SamsaCommand.run([
                "storage", "format", "--override", "log.dirs=\(folder)", "--add-scram",
                "SCRAM-SHA-512=[name=admin,password=admin-secret,iterations=8192]",
            ])
            #expect(format.status == 0, "\(format.standardError)")
            #expect(format.standardOutput.contains("SCRAM users admin (SCRAM-SHA-512)"))
            let port = try Loopback.freePort()
            var settings = Self.settings
            settings["listeners"] = "SASL_PLAINTEXT://127.0.0.1:\(port)"

            let first = try await BrokerProcess.samsa(dataDirectory: folder, port: port, settings: settings)
            let created = try await Self.roundTrip(
                first,
                [
                    "mechanism": "SCRAM-SHA-256", "username": "carol", "password": "carol-secret", "topic": "sasl-before",
                    "create-user": "SCRAM-SHA-256", "admin-user": "admin", "admin-password": "admin-secret",
                    "admin-mechanism": "SCRAM-SHA-512",
                ])
            #expect(created["error"] == nil)
            #expect(Self.values(created).count == 5)
            let plain = try await Self.roundTrip(
                first, ["mechanism": "PLAIN", "username": "alice", "password": "alice-secret", "topic": "sasl-plain"])
            #expect(Self.values(plain).count == 5, "\(plain)")
            first.kill()

            let logFile = folder + "-second.log"
            defer { try? FileManager.default.removeItem(atPath: logFile) }
            let second = try await BrokerProcess.samsa(dataDirectory: folder, port: port, settings: settings, logFile: logFile)
            defer { second.terminate() }
            let again = try await Self.roundTrip(
                second, ["mechanism": "SCRAM-SHA-256", "username": "carol", "password": "carol-secret", "topic": "sasl-after"])
            #expect(again["error"] == nil)
            #expect(Self.values(again).count == 5)
            let refused = try await Self.roundTrip(
                second, ["mechanism": "SCRAM-SHA-256", "username": "carol", "password": "wrong", "topic": "sasl-refused", "count": "1"])
            // kafka-python 3 retries a refused login until its timeout; the broker's log says why.
            #expect(refused["error"] != nil && Self.values(refused).isEmpty, "a wrong password was accepted: \(refused)")
            let log = try String(contentsOfFile: logFile, encoding: .utf8)
            let failures = log.split(separator: "\n").filter { $0.contains("Failed authentication") && $0.contains("user=carol") }
            #expect(!failures.isEmpty, "no failed-login line for carol")
            #expect(failures.allSatisfy { $0.contains("mechanism=SCRAM-SHA-256") && $0.contains("reason=invalid-proof") })
        }
    }
}
