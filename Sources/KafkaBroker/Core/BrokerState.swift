import FoundationEssentials
import KafkaProtocol
import KafkaStorage
import Logging
import Metrics
import Synchronization

/// What every handler shares: settings, topics and their logs, the flusher and the fetch wake-ups.
final class BrokerState: Sendable {
    let configuration: BrokerConfiguration
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
    /// The address clients are told to connect to; the bound port replaces a configured port 0.
    private let advertised: Mutex<BrokerConfiguration.Listener>
    /// The address the listener is bound to, with the bound port once it is known.
    private let bound: Mutex<BrokerConfiguration.Listener>

    init(configuration: BrokerConfiguration, logger: Logger, logFileSystem: any LogFileSystem, metricsFactory: any MetricsFactory) throws {
        self.configuration = configuration
        self.logger = logger
        let metrics = BrokerMetrics(factory: metricsFactory)
        self.metrics = metrics
        try FileManager.default.createDirectory(atPath: configuration.logDirectory, withIntermediateDirectories: true)
        clusterId = try BrokerMetaProperties.loadOrCreate(
            dataDirectory: configuration.logDirectory, nodeId: configuration.nodeId, configuredClusterId: configuration.clusterId)
        logManager = try LogManager(
            directory: configuration.logDirectory, fileSystem: logFileSystem, logger: logger,
            defaultConfiguration: TopicSettings(defaults: configuration).log)
        flusher = LogFlusher(logManager: logManager, logger: logger, flushObserver: { metrics.recordFlush(duration: $0) })
        topics = try TopicRegistry(logManager: logManager, configuration: configuration, logger: logger)
        producerIds = try ProducerIdAllocator(dataDirectory: configuration.logDirectory)
        authorizer = configuration.authorizerEnabled ? try Authorizer(configuration: configuration, logger: logger) : nil
        advertised = Mutex(configuration.advertisedListener ?? configuration.listener)
        bound = Mutex(configuration.listener)
    }

    var advertisedListener: BrokerConfiguration.Listener { advertised.withLock { $0 } }

    var boundListener: BrokerConfiguration.Listener { bound.withLock { $0 } }

    func listenerBound(port: Int) {
        advertised.withLock { listener in
            if listener.port == 0 { listener.port = port }
        }
        bound.withLock { $0.port = port }
    }
}
