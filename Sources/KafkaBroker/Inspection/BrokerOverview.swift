/// Who the broker is and where it keeps its data.
public struct BrokerOverview: Sendable, Equatable {
    public var nodeId: Int32
    public var clusterId: String
    /// Samsa's version.
    public var version: String
    /// When the broker started, in milliseconds since the Unix epoch.
    public var startTimeMs: Int64
    public var uptime: Duration
    /// Where the broker accepts Kafka connections (the bound port, when 0 was configured).
    public var listeners: [BrokerConfiguration.KafkaListener]
    /// What clients of each listener are told to connect to, in the same order.
    public var advertisedListeners: [BrokerConfiguration.KafkaListener]
    public var dataDirectory: String
    /// Bytes of every partition's segment files.
    public var logSizeInBytes: Int64
    public var topicCount: Int
    public var partitionCount: Int
    public var activeConnections: Int
    /// How long loading and recovering the logs took at start-up.
    public var recoveryDuration: Duration
    /// Whether the previous run ended with a clean shutdown (no recovery needed).
    public var hadCleanShutdown: Bool

    public init(
        nodeId: Int32, clusterId: String, version: String, startTimeMs: Int64, uptime: Duration,
        listeners: [BrokerConfiguration.KafkaListener], advertisedListeners: [BrokerConfiguration.KafkaListener], dataDirectory: String,
        logSizeInBytes: Int64, topicCount: Int, partitionCount: Int, activeConnections: Int, recoveryDuration: Duration,
        hadCleanShutdown: Bool
    ) {
        self.nodeId = nodeId
        self.clusterId = clusterId
        self.version = version
        self.startTimeMs = startTimeMs
        self.uptime = uptime
        self.listeners = listeners
        self.advertisedListeners = advertisedListeners
        self.dataDirectory = dataDirectory
        self.logSizeInBytes = logSizeInBytes
        self.topicCount = topicCount
        self.partitionCount = partitionCount
        self.activeConnections = activeConnections
        self.recoveryDuration = recoveryDuration
        self.hadCleanShutdown = hadCleanShutdown
    }
}
