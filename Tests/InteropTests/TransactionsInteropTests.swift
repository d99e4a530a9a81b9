import Foundation
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// Each client's transactional producer against a read_committed consumer of the same client.
    @Suite("Transactions with real clients", .serialized, .timeLimit(.minutes(10)))
    struct TransactionsInteropTests {
        static let clients = ["kafka-python", "confluent-kafka", "aiokafka"]

        func run(_ testCase: String, client: String, settings: [String: String] = [:]) async throws -> [String: JSONValue] {
            let broker = try await InProcessBroker.start(settings: settings)
            let result = try await PythonSubprocess.runScenario(
                path: InteropPaths.scenario("transactions"),
                arguments: [
                    "bootstrap-server": broker.bootstrapServer, "client": client, "case": testCase,
                    "topic": "\(testCase.replacingOccurrences(of: "_", with: "-"))-\(client)",
                ],
                pythonPath: [InteropPaths.kafkaPython3Packages], timeout: .seconds(120))
            try await broker.stop()
            return result
        }

        @Test(arguments: clients)
        func committedRecordsAreVisibleAndAbortedOnesNever(client: String) async throws {
            let result = try await run("commit_abort", client: client)
            #expect(result["values"] == ["c1", "c2", "c3", "c4"])
        }

        @Test(arguments: clients)
        func anOpenTransactionHoldsTheLastStableOffset(client: String) async throws {
            let result = try await run("open_holds_lso", client: client)
            #expect(result["values_while_open"] == ["c1"])
            // c1 at 0, its commit marker at 1: the open transaction starts at 2.
            #expect(result["lso_while_open"] == 2)
            #expect(result["values"] == ["c1", "open1"])
        }

        @Test(arguments: clients)
        func aSecondProducerWithTheSameIdFencesTheFirst(client: String) async throws {
            let result = try await run("fencing", client: client)
            #expect(result["values"] == ["winner"])
            guard case .string? = result["fenced_error"] else {
                Issue.record("the fenced producer's commit succeeded: \(result)")
                return
            }
        }

        @Test(arguments: clients)
        func aTransactionPastItsTimeoutIsAborted(client: String) async throws {
            let result = try await run(
                "timeout", client: client, settings: ["transaction.abort.timed.out.transaction.cleanup.interval.ms": "200"])
            #expect(result["values"] == ["after"])
            guard case .string? = result["commit_error"] else {
                Issue.record("the timed-out transaction committed: \(result)")
                return
            }
        }
    }
}
