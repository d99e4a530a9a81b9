import Foundation
import KafkaProperties
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The integration suites that the clients' own authors wrote, run against the built `samsa`:
    /// every test passes apart from those Interop/client-suites/<suite>/excluded.tsv lists with a
    /// reason, and every listed test still fails (a listed test that passes must leave the list).
    @Suite("The clients' own integration suites", .serialized, .timeLimit(.minutes(10)))
    struct ClientTestSuitesTests {
        struct TestOutcome: Decodable {
            let test: String
            let outcome: String
            let message: String
        }

        struct SuiteRun: Decodable {
            let tests: [TestOutcome]
        }

        static let folder = InteropPaths.packageRoot + "/Interop/client-suites"

        @Test func kafkaPythonIntegrationSuitePassesApartFromItsExclusions() async throws {
            let run = try await Self.run(suite: "kafka-python")
            try Self.check(run, excluded: try Self.exclusions(of: "kafka-python"))
        }

        @Test func confluentKafkaPythonIntegrationSuitePassesApartFromItsExclusions() async throws {
            let run = try await Self.run(suite: "confluent-kafka-python")
            try Self.check(run, excluded: try Self.exclusions(of: "confluent-kafka-python"))
        }

        private static func run(suite: String) async throws -> SuiteRun {
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-\(suite)-suite-\(UUID().uuidString)").path
            let properties = try String(contentsOfFile: "\(folder)/server.properties", encoding: .utf8)
            let broker = try await BrokerProcess.samsa(
                dataDirectory: data, settings: JavaProperties.dictionary(properties), logFile: data + ".log")
            defer {
                broker.terminate()
                try? FileManager.default.removeItem(atPath: data)
            }
            if suite == "confluent-kafka-python" {
                // The suite targets Kafka 4.2, whose controller writes min.insync.replicas as a
                // cluster-wide dynamic default when it first starts (KIP-966); its expected topic
                // configs list that entry (DYNAMIC_DEFAULT_BROKER_CONFIG). Set it as an operator would.
                let set = try await SamsaCommand.run([
                    "configs", "--bootstrap-server", broker.bootstrapServer, "--entity-type", "brokers", "--entity-default", "--alter",
                    "--add-config", "min.insync.replicas=1",
                ])
                try #require(set.status == 0, "the cluster-wide min.insync.replicas was refused: \(set.standardError)")
            }
            let run = try await PythonSubprocess.runScenario(
                path: "\(folder)/run_suite.py", arguments: ["suite": suite, "bootstrap-server": broker.bootstrapServer],
                pythonPath: [], timeout: .seconds(480), as: SuiteRun.self)
            let counts = Dictionary(grouping: run.tests, by: \.outcome).mapValues(\.count)
            let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("\(suite)'s integration suite against Samsa: \(summary)")
            return run
        }

        /// The test ids of `excluded.tsv`, each with its reason (lines starting with # are comments).
        static func exclusions(of suite: String) throws -> [String: String] {
            let text = try String(contentsOfFile: "\(folder)/\(suite)/excluded.tsv", encoding: .utf8)
            var reasons: [String: String] = [:]
            for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t", maxSplits: 1)
                try #require(fields.count == 2, "excluded.tsv: '\(line)' is not a test id, a tab and a reason")
                reasons[String(fields[0])] = String(fields[1])
            }
            return reasons
        }

        private static func check(_ run: SuiteRun, excluded: [String: String]) throws {
            try #require(run.tests.contains { $0.outcome == "passed" }, "no test passed: the suite did not reach the broker")
            let outcomes = Dictionary(run.tests.map { ($0.test, $0) }, uniquingKeysWith: { first, _ in first })
            for test in run.tests where test.outcome == "failed" {
                #expect(excluded[test.test] != nil, "\(test.test) failed and is not excluded: \(test.message)")
            }
            for (test, reason) in excluded.sorted(by: { $0.key < $1.key }) {
                let outcome = try #require(outcomes[test], "\(test) is excluded (\(reason)) but the suite has no such test")
                #expect(outcome.outcome != "passed", "\(test) passes now: remove it from excluded.tsv (\(reason))")
            }
        }
    }
}
