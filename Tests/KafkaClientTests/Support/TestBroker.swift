import Foundation
import SamsaTestSupport
import Testing

/// The brokers the integration tests run against, from one place. Each integration test takes a
/// `TestBroker` argument and runs once per broker:
/// - `SAMSA_TEST_BOOTSTRAP=host:port` set: only that broker (any Kafka-compatible one);
/// - otherwise the Samsa broker (the built `samsa` executable) and Tansu (from `make deps`), each
///   started once per test run as a child process on a free 127.0.0.1 port. A missing one fails
///   its tests with a message saying how to get it.
enum TestBroker: String, Sendable, CustomTestStringConvertible {
    case samsa
    /// Tansu 0.6: no CreatePartitions or OffsetDelete, it drops some acks=0 records, and its
    /// ListOffsets, DescribeGroups and ListGroups answers are partial (see the tests that check).
    case tansu
    case external

    static let externalBootstrap = ProcessInfo.processInfo.environment["SAMSA_TEST_BOOTSTRAP"]

    static let available: [TestBroker] = externalBootstrap == nil ? [.samsa, .tansu] : [.external]

    var testDescription: String { rawValue }

    /// "127.0.0.1:port" of the running broker, starting it on first use.
    func bootstrapServer() async throws -> String {
        switch self {
        case .external: Self.externalBootstrap ?? ""
        case .samsa, .tansu: try await SharedBrokers.instance.bootstrapServer(of: self)
        }
    }

    /// A topic or group name no other test uses.
    static func uniqueName(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// One child-process broker per kind for the whole test run, left to the watchdog to end.
private actor SharedBrokers {
    static let instance = SharedBrokers()
    private var running: [TestBroker: BrokerProcess] = [:]

    func bootstrapServer(of kind: TestBroker) async throws -> String {
        if let broker = running[kind] { return broker.bootstrapServer }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-client-tests-\(kind)-\(UUID().uuidString)").path
        let log = folder + ".log"
        let broker =
            switch kind {
            case .tansu: try await BrokerProcess.tansu(dataDirectory: folder, logFile: log, removingDataWhenDone: true)
            default: try await BrokerProcess.samsa(dataDirectory: folder, logFile: log, removingDataWhenDone: true)
            }
        running[kind] = broker
        return broker.bootstrapServer
    }
}
