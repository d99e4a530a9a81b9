import Prometheus
import SamsaTestSupport
import Synchronization

/// The slot for a broker that a benchmark's setup starts and its teardown stops; the benchmark's
/// closure, made before either runs, reads the ports from here.
final class RunningBroker: Sendable {
    private let running = Mutex<InProcessBroker?>(nil)

    var kafkaPort: Int { running.withLock { $0?.port ?? 0 } }
    var consolePort: Int { running.withLock { $0?.consolePort ?? 0 } }

    /// - Parameter registry: serve the console and `/metrics` from this registry; nil for a broker
    ///   without a console, whose metrics go nowhere.
    func start(registry: PrometheusCollectorRegistry?, topics: Int = 0) async throws {
        let broker = try await InProcessBroker.start(console: registry.map { InProcessBroker.Console(registry: $0) })
        running.withLock { $0 = broker }
        guard topics > 0 else { return }
        try await RawKafkaConnection.with(port: broker.port) { connection in
            for first in stride(from: 0, to: topics, by: 100) {
                try await connection.createTopics((first..<min(topics, first + 100)).map { "topic-\($0)" })
            }
        }
    }

    func stop() async throws {
        try await running.withLock { running in
            defer { running = nil }
            return running
        }?.stop()
    }
}
