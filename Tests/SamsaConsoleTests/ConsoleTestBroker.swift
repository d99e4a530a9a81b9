import Foundation
import KafkaBroker
import Logging
import Prometheus
import SamsaConsole
import Testing
import ServiceLifecycle
import NIOCore

/// A broker and its console in the test process, both on ephemeral 127.0.0.1 ports, with a
/// temporary data folder and a metrics registry of their own (so tests running side by side do
/// not count each other's requests).
struct ConsoleTestBroker {
    let broker: Broker
    let kafkaPort: Int
    let consolePort: Int

    static func with<Result: Sendable>(
        sampleInterval: Duration = .seconds(5), consoleListener: String = "http://127.0.0.1:0",
        _ body: (ConsoleTestBroker) async throws -> Result
    ) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-console-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try BrokerConfiguration(properties: [
            ("listeners", "PLAINTEXT://127.0.0.1:0"), ("log.dirs", folder), ("metrics.listener", consoleListener),
            ("offsets.topic.num.partitions", "4"),
        ])
        var logger = Logger(label: "samsa.console-test")
        logger.logLevel = .warning
        let registry = PrometheusCollectorRegistry()
        let broker = try Broker(configuration: configuration, logger: logger, metricsFactory: ConsoleServer.metricsFactory(for: registry))
        let console = ConsoleServer(
            broker: broker, registry: registry, listener: try #require(configuration.metricsListener), logger: logger,
            sampleInterval: sampleInterval)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker), .init(service: console, failureTerminationBehavior: .gracefullyShutdownGroup)],
                logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let kafkaPort = try await broker.listeningAddress().port ?? 0
                let consolePort = try await console.listeningAddress().port ?? 0
                let result = try await body(ConsoleTestBroker(broker: broker, kafkaPort: kafkaPort, consolePort: consolePort))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
