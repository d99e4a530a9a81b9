import Foundation
import KafkaBroker
import Logging
import ServiceLifecycle
import NIOCore

/// A broker running in the test process on an ephemeral 127.0.0.1 port with a temporary data
/// folder. `stop()` shuts it down gracefully; the folder is removed unless kept for a restart.
final class TestBroker: Sendable {
    let broker: Broker
    let dataDirectory: String
    let bootstrapServer: String
    private let group: ServiceGroup
    private let runTask: Task<Void, any Error>

    static func start(
        settings: [String: String] = [:], dataDirectory: String? = nil
    ) async throws -> TestBroker {
        let folder = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("samsa-test-\(UUID().uuidString)").path
        var properties: [(key: String, value: String)] = [("listeners", "PLAINTEXT://127.0.0.1:0"), ("log.dirs", folder)]
        properties += settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let configuration = try BrokerConfiguration(properties: properties)
        var logger = Logger(label: "samsa.test-broker")
        logger.logLevel = ProcessInfo.processInfo.environment["SAMSA_TEST_LOG"] == nil ? .warning : .debug
        let broker = try Broker(configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [broker], logger: logger))
        let runTask = Task { try await group.run() }
        let address = try await broker.listeningAddress()
        return TestBroker(broker: broker, group: group, runTask: runTask, dataDirectory: folder, port: address.port ?? 0)
    }

    private init(broker: Broker, group: ServiceGroup, runTask: Task<Void, any Error>, dataDirectory: String, port: Int) {
        self.broker = broker
        self.group = group
        self.runTask = runTask
        self.dataDirectory = dataDirectory
        self.bootstrapServer = "127.0.0.1:\(port)"
    }

    func stop(keepingData: Bool = false) async throws {
        await group.triggerGracefulShutdown()
        try await runTask.value
        if !keepingData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}
