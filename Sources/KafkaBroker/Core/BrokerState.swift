import FoundationEssentials
import KafkaProtocol
import KafkaStorage
import Logging
import Metrics
import Synchronization

/// What every handler shares: settings, topics and their logs, the flusher and the fetch wake-ups.
final class BrokerState: Sendable {
    /// server.properties with the dynamic broker configs applied.
    let dynamicConfiguration: DynamicBrokerConfiguration
    let clusterId: String
    let logManager: LogManager
    let flusher: LogFlusher
    let topics: TopicRegistry
    let appendNotifier = AppendNotifier()
    let producerIds: ProducerIdAllocator
    let logger: Logger
    let metrics: BrokerMetrics
    /// Nil when `authorizer.class.name` is empty: every request is then allowed.
    let authorizer: Authorizer?
    /// `listeners` with the bound port in place of a configured port 0, once each is bound.
    private let bound: Mutex<[BrokerConfiguration.KafkaListener]>

    init(configuration: BrokerConfiguration, logger: Logger, logFileSystem: any LogFileSystem, metricsFactory: any MetricsFactory) throws {
        self.logger = logger
        let metrics = BrokerMetrics(factory: metricsFactory)
        self.metrics = metrics
        try FileManager.default.createDirectory(atPath: configuration.logDirectory, withIntermediateDirectories: true)
        clusterId = try BrokerMetaProperties.loadOrCreate(
            dataDirectory: configuration.logDirectory, nodeId: configuration.nodeId, configuredClusterId: configuration.clusterId)
        let dynamicConfiguration = try DynamicBrokerConfiguration(staticConfiguration: configuration)
        self.dynamicConfiguration = dynamicConfiguration
        logManager = try LogManager(
            directory: configuration.logDirectory, fileSystem: logFileSystem, logger: logger,
            defaultConfiguration: TopicSettings(defaults: dynamicConfiguration.current).log)
        flusher = LogFlusher(logManager: logManager, logger: logger, flushObserver: { metrics.recordFlush(duration: $0) })
        topics = try TopicRegistry(logManager: logManager, brokerConfiguration: dynamicConfiguration, logger: logger)
        producerIds = try ProducerIdAllocator(dataDirectory: configuration.logDirectory)
        authorizer = configuration.authorizerEnabled ? try Authorizer(configuration: configuration, logger: logger) : nil
        bound = Mutex(configuration.listeners)
    }

    /// The settings in force now: a handler reads them once per request.
    var configuration: BrokerConfiguration { dynamicConfiguration.current }

    var boundListeners: [BrokerConfiguration.KafkaListener] { bound.withLock { $0 } }

    /// Every listener's advertised address, in `listeners` order.
    var advertisedListeners: [BrokerConfiguration.KafkaListener] {
        boundListeners.map { advertisedListener(for: $0.name) }
    }

    /// Where clients of listener `name` are told to connect, as Kafka answers a request with the
    /// advertised address of the listener it came in on; a configured port 0 is the bound port.
    func advertisedListener(for name: String) -> BrokerConfiguration.KafkaListener {
        let listeners = boundListeners
        guard let listener = listeners.first(where: { $0.name == name }) ?? listeners.first else {
            preconditionFailure("a broker has at least one listener")
        }
        guard var advertised = configuration.advertisedListeners.first(where: { $0.name == listener.name }) else { return listener }
        if advertised.port == 0 { advertised.port = listener.port }
        return advertised
    }

    func listenerBound(name: String, port: Int) {
        bound.withLock { listeners in
            for index in listeners.indices where listeners[index].name == name { listeners[index].port = port }
        }
    }
}
