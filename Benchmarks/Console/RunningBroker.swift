import Foundation
import KafkaBroker
import KafkaProtocol
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import SamsaConsole
import ServiceLifecycle
import Synchronization

/// A broker (and, with a registry, its console) running in the benchmark process on ephemeral
/// 127.0.0.1 ports, started by a benchmark's setup and stopped by its teardown.
final class RunningBroker: Sendable {
    private struct Running: Sendable {
        var group: ServiceGroup
        var task: Task<Void, any Error>
        var folder: String
        var kafkaPort: Int
        var consolePort: Int?
    }

    private let running = Mutex<Running?>(nil)

    var kafkaPort: Int { running.withLock { $0?.kafkaPort ?? 0 } }
    var consolePort: Int { running.withLock { $0?.consolePort ?? 0 } }

    /// - Parameter registry: serve the console and `/metrics` from this registry; nil for a broker
    ///   whose metrics go nowhere.
    func start(registry: PrometheusCollectorRegistry?, topics: Int = 0) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-bench-\(UUID().uuidString)").path
        let configuration = try BrokerConfiguration(properties: [
            ("listeners", "PLAINTEXT://127.0.0.1:0"), ("log.dirs", folder), ("metrics.listener", "http://127.0.0.1:0"),
        ])
        var logger = Logger(label: "samsa.benchmark")
        logger.logLevel = .warning
        let factory: any MetricsFactory = registry.map { ConsoleServer.metricsFactory(for: $0) } ?? NOOPMetricsHandler.instance
        let broker = try Broker(configuration: configuration, logger: logger, metricsFactory: factory)
        var services: [any Service] = [broker]
        let console = registry.map {
            ConsoleServer(broker: broker, registry: $0, listener: configuration.metricsListener!, logger: logger)
        }
        if let console { services.append(console) }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let task = Task { try await group.run() }
        let kafkaPort = try await broker.listeningAddress().port ?? 0
        let consolePort = try await console?.listeningAddress().port
        running.withLock { $0 = Running(group: group, task: task, folder: folder, kafkaPort: kafkaPort, consolePort: consolePort) }
        if topics > 0 {
            try await KafkaBenchmarkConnection.with(port: kafkaPort) { connection in
                for first in stride(from: 0, to: topics, by: 100) {
                    let names = (first..<min(topics, first + 100)).map { "topic-\($0)" }
                    _ = try await connection.roundTrip(
                        CreateTopicsRequest(topics: names.map { .init(name: $0, numPartitions: 1, replicationFactor: 1) }, timeoutMs: 60_000),
                        version: 5)
                }
            }
        }
    }

    func stop() async throws {
        guard let stopping = running.withLock({ running in defer { running = nil }; return running }) else { return }
        await stopping.group.triggerGracefulShutdown()
        try await stopping.task.value
        try? FileManager.default.removeItem(atPath: stopping.folder)
    }
}
