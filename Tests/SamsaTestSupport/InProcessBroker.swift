import Foundation
import KafkaBroker
import Logging
import Metrics
import NIOCore
import Prometheus
import SamsaConsole
import ServiceLifecycle

/// A broker running in this process on an ephemeral 127.0.0.1 port with a temporary data folder,
/// optionally with its web console. `with` runs a body against it and stops it even when the body
/// throws; `start` and `stop` serve callers whose start and stop happen in different places
/// (restarts on the same data, benchmark set-up and tear-down).
public final class InProcessBroker: Sendable {
    /// The web console beside the broker, with a metrics registry of its own so that brokers
    /// running side by side do not count each other's requests.
    public struct Console: Sendable {
        public var registry: PrometheusCollectorRegistry
        public var listener: String
        public var sampleInterval: Duration

        public init(
            registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), listener: String = "http://127.0.0.1:0",
            sampleInterval: Duration = .seconds(5)
        ) {
            self.registry = registry
            self.listener = listener
            self.sampleInterval = sampleInterval
        }
    }

    /// Builds the broker from the finished configuration, for tests that need an initializer the
    /// fixture cannot call (storage on an in-memory file system with injected faults).
    public typealias BrokerFactory = @Sendable (BrokerConfiguration, Logger, any MetricsFactory) throws -> Broker

    public let broker: Broker
    /// The port of the first of `listeners` (the only one unless the test names more).
    public let port: Int
    /// Every listener's bound port, by listener name (`PLAINTEXT`, `SSL`, …).
    public let listenerPorts: [String: Int]
    /// The console's port; nil for a broker started without a console.
    public let consolePort: Int?
    public let dataDirectory: String
    public var bootstrapServer: String { "127.0.0.1:\(port)" }
    private let group: ServiceGroup
    private let runTask: Task<Void, any Error>

    private init(
        broker: Broker, port: Int, listenerPorts: [String: Int], consolePort: Int?, dataDirectory: String, group: ServiceGroup,
        runTask: Task<Void, any Error>
    ) {
        self.broker = broker
        self.port = port
        self.listenerPorts = listenerPorts
        self.consolePort = consolePort
        self.dataDirectory = dataDirectory
        self.group = group
        self.runTask = runTask
    }

    /// - Parameters:
    ///   - settings: server.properties keys and values on top of the test defaults (`listeners`
    ///     replaces the default `PLAINTEXT://127.0.0.1:0`; use port 0 for each listener).
    ///   - configure: changes settings that have no server.properties key.
    ///   - logger: where the broker logs; warnings and errors to the console by default, everything
    ///     with `SAMSA_TEST_LOG` set.
    ///   - dataDirectory: a folder to reuse (a restart on the same data); a new temporary one when nil.
    public static func start(
        settings: [String: String] = [:], configure: (inout BrokerConfiguration) -> Void = { _ in }, logger: Logger? = nil,
        dataDirectory: String? = nil, console: Console? = nil, brokerFactory: BrokerFactory? = nil
    ) async throws -> InProcessBroker {
        let folder = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("samsa-test-\(UUID().uuidString)").path
        var properties: [(key: String, value: String)] = [("listeners", "PLAINTEXT://127.0.0.1:0"), ("log.dirs", folder)]
        if let console { properties.append(("metrics.listener", console.listener)) }
        properties += settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var configuration = try BrokerConfiguration(properties: properties)
        configure(&configuration)
        let logger = logger ?? defaultLogger()
        let metricsFactory: any MetricsFactory = console.map { ConsoleServer.metricsFactory(for: $0.registry) } ?? MetricsSystem.factory
        let broker =
            try brokerFactory?(configuration, logger, metricsFactory)
            ?? Broker(configuration: configuration, logger: logger, metricsFactory: metricsFactory)
        var services = [ServiceGroupConfiguration.ServiceConfiguration(service: broker)]
        let consoleServer = try console.map { console in
            guard let listener = configuration.metricsListener else {
                throw TestFailure("the console needs a listener, not \"\(console.listener)\"")
            }
            return ConsoleServer(
                broker: broker, registry: console.registry, listener: listener, logger: logger, sampleInterval: console.sampleInterval)
        }
        if let consoleServer {
            // A console that cannot listen ends the group, so that `start` reports why.
            services.append(.init(service: consoleServer, failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let runTask = Task { try await group.run() }
        do {
            let port = try await broker.listeningAddress().port ?? 0
            let listenerPorts = Dictionary(uniqueKeysWithValues: try await broker.boundListeners().map { ($0.name, $0.port) })
            let consolePort = try await consoleServer?.listeningAddress().port
            return InProcessBroker(
                broker: broker, port: port, listenerPorts: listenerPorts, consolePort: consolePort, dataDirectory: folder,
                group: group, runTask: runTask)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await runTask.value
            if dataDirectory == nil { try? FileManager.default.removeItem(atPath: folder) }
            throw error
        }
    }

    /// Shuts the broker down gracefully and removes its data folder unless `keepingData`.
    public func stop(keepingData: Bool = false) async throws {
        await group.triggerGracefulShutdown()
        try await runTask.value
        if !keepingData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }

    /// Runs `body` against a started broker, then stops it; a `dataDirectory` the caller passed is
    /// kept for the caller to reuse and remove.
    public static func with<Result: Sendable>(
        settings: [String: String] = [:], configure: (inout BrokerConfiguration) -> Void = { _ in }, logger: Logger? = nil,
        dataDirectory: String? = nil, console: Console? = nil, brokerFactory: BrokerFactory? = nil,
        _ body: (InProcessBroker) async throws -> Result
    ) async throws -> Result {
        let running = try await start(
            settings: settings, configure: configure, logger: logger, dataDirectory: dataDirectory, console: console,
            brokerFactory: brokerFactory)
        let result: Result
        do {
            result = try await body(running)
        } catch {
            try? await running.stop(keepingData: dataDirectory != nil)
            throw error
        }
        try await running.stop(keepingData: dataDirectory != nil)
        return result
    }

    private static func defaultLogger() -> Logger {
        var logger = Logger(label: "samsa.test-broker")
        logger.logLevel = ProcessInfo.processInfo.environment["SAMSA_TEST_LOG"] == nil ? .warning : .debug
        return logger
    }
}
