import Hummingbird
import KafkaBroker
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The HTTP listener of `metrics.listener`: Prometheus metrics at `/metrics` and the web console
/// (overview, topics, consumer groups) as server-rendered HTML. Run it as a `Service` beside the
/// broker; it reads the broker only through `Broker.inspector`.
public final class ConsoleServer: Service, Sendable {
    private let routes: ConsoleRoutes
    private let listener: BrokerConfiguration.Listener
    private let logger: Logger
    private let sampleInterval: Duration
    private let history: ThroughputHistory
    private let inspector: BrokerInspector
    private let address: ListeningAddressSignal

    /// - Parameters:
    ///   - registry: the registry the broker's metrics factory writes to (see `metricsFactory(for:)`).
    ///   - sampleInterval: how often traffic is sampled for the throughput chart and message rates;
    ///     the chart spans 180 samples (15 minutes at the default 5 s).
    public init(
        broker: Broker, registry: PrometheusCollectorRegistry, listener: BrokerConfiguration.Listener, logger: Logger,
        sampleInterval: Duration = .seconds(5)
    ) {
        let history = ThroughputHistory(capacity: 180)
        let address = ListeningAddressSignal()
        self.address = address
        self.listener = listener
        self.logger = logger
        self.sampleInterval = sampleInterval
        self.history = history
        self.inspector = broker.inspector
        self.routes = ConsoleRoutes(
            inspector: broker.inspector, registry: registry, history: history,
            consoleAddress: { [address, host = listener.host, port = listener.port] in
                "http://\(host):\(address.current?.port ?? port)"
            }, chartSpan: sampleInterval * history.capacity)
    }

    /// A swift-metrics factory writing to `registry`, with latency buckets from 100 µs up, since
    /// most Kafka requests take well under Prometheus' default smallest bucket of 5 ms.
    public static func metricsFactory(for registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        return factory
    }

    /// The address the console listens on, once it does (port 0 picks a free one); throws
    /// `ConsoleListenerError` when it cannot listen.
    public func listeningAddress() async throws -> SocketAddress {
        try await address.wait()
    }

    public func run() async throws {
        let shownAddress = "http://\(listener.host):\(listener.port)"
        let application = Application(
            router: routes.router(),
            configuration: ApplicationConfiguration(address: .hostname(listener.host, port: listener.port), serverName: "Samsa"),
            onServerRunning: { [address, logger] channel in
                guard let bound = channel.localAddress else { return }
                logger.info("Console and metrics on http://\(bound.ipAddress ?? "?"):\(bound.port ?? 0)")
                address.finish(.success(bound))
            },
            logger: logger)
        do {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await application.run() }
                group.addTask { await cancelWhenGracefulShutdown { await self.sampleTraffic() } }
            }
        } catch {
            let startupFailure = ConsoleListenerError(address: shownAddress, reason: Self.reason(error))
            address.finish(.failure(startupFailure))
            // A failure after the listener was up is not a start-up problem: report it as it is.
            if (try? await address.wait()) != nil { throw error }
            throw startupFailure
        }
        address.finish(.failure(ConsoleListenerError(address: shownAddress, reason: "the console stopped before it listened")))
    }

    /// Reads the traffic totals and topic offsets every `sampleInterval`, until cancelled.
    private func sampleTraffic() async {
        while !Task.isCancelled {
            history.record(totals: inspector.trafficTotals(), topics: inspector.topics(), at: .now)
            do {
                try await Task.sleep(for: sampleInterval)
            } catch {
                return
            }
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return "the port is already in use"
        }
        return "\(error)"
    }
}
