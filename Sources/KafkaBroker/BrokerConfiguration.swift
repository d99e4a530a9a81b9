import Logging

/// The broker's settings, named and defaulted as in Kafka's server.properties.
///
/// Durations and sizes keep Kafka's units in their names. A value of -1 means "unlimited" where
/// Kafka's documentation says so (retention).
public struct BrokerConfiguration: Sendable, Equatable {
    /// `listeners`: where the broker accepts PLAINTEXT connections.
    public var listener: Listener = Listener(host: "localhost", port: 9092)
    /// `advertised.listeners`: the address clients are told to use (Metadata); defaults to `listener`.
    public var advertisedListener: Listener?
    /// `node.id` (or `broker.id`).
    public var nodeId: Int32 = 1
    /// `log.dirs` (or `log.dir`): Samsa uses the first folder.
    public var logDirectory: String = "./samsa-data"
    /// `num.partitions`: partitions of auto-created topics and of CreateTopics with -1.
    public var numPartitions: Int32 = 1
    /// `auto.create.topics.enable`.
    public var autoCreateTopics: Bool = true
    /// `delete.topic.enable`.
    public var deleteTopicEnable: Bool = true
    /// `log.retention.ms` (or `.minutes`/`.hours`, in that precedence); -1 keeps data forever.
    public var logRetentionMs: Int64 = 168 * 3_600_000
    /// `log.retention.bytes` per partition; -1 means no size limit.
    public var logRetentionBytes: Int64 = -1
    /// `log.segment.bytes`.
    public var logSegmentBytes: Int64 = 1_073_741_824
    /// `log.roll.ms` (or `log.roll.hours`): a segment older than this is rolled.
    public var logRollMs: Int64 = 168 * 3_600_000
    /// `log.index.interval.bytes`: one sparse index entry per this many bytes of log.
    public var logIndexIntervalBytes: Int32 = 4096
    /// `log.flush.interval.messages`: fsync after this many appended messages (acks=all always fsyncs).
    public var logFlushIntervalMessages: Int64 = Int64.max
    /// `log.flush.interval.ms`: fsync data older than this; nil means never on time alone.
    public var logFlushIntervalMs: Int64?
    /// `log.retention.check.interval.ms`.
    public var logRetentionCheckIntervalMs: Int64 = 300_000
    /// `log.cleanup.policy`: default of topics (`delete` or `compact`).
    public var logCleanupPolicy: String = "delete"
    /// `log.cleaner.delete.retention.ms`: how long tombstones survive compaction.
    public var logCleanerDeleteRetentionMs: Int64 = 86_400_000
    /// `message.max.bytes`: the largest record batch the broker accepts.
    public var messageMaxBytes: Int32 = 1_048_588
    /// `socket.request.max.bytes`: the largest request frame; larger ones close the connection.
    public var socketRequestMaxBytes: Int32 = 104_857_600
    /// `fetch.max.bytes`: the most record bytes one Fetch response carries, whatever the request
    /// asks for (at least one batch, as Kafka, so a consumer can always make progress).
    public var fetchMaxBytes: Int32 = 57_671_680
    /// `max.connections`: open client connections at most; a new one beyond it is closed at once.
    public var maxConnections: Int32 = Int32.max
    /// `max.connections.per.ip`: open client connections from one address at most.
    public var maxConnectionsPerIp: Int32 = Int32.max
    /// `max.connections.per.ip.overrides`: `address:count` pairs that replace the per-address limit.
    public var maxConnectionsPerIpOverrides: [String: Int32] = [:]
    /// `connections.max.idle.ms`: a connection that has neither completed a request nor had a
    /// response written for this long, and has no request in a handler, is closed. Counting whole
    /// requests (Kafka counts any byte) also cuts off clients that trickle a request in a byte at a time.
    public var connectionsMaxIdleMs: Int64 = 600_000
    /// Samsa's own limit, without a server.properties key: responses not yet written to a
    /// connection's socket above this many bytes stop the broker reading that connection's
    /// requests until the client has read enough, so a client that never reads holds at most
    /// this plus one response.
    public var queuedResponseMaxBytes: Int = 1 << 20
    /// `compression.type`: `producer` stores batches as sent; any codec re-encodes on append.
    public var compressionType: String = "producer"
    /// `default.replication.factor`.
    public var defaultReplicationFactor: Int16 = 1
    /// `min.insync.replicas`: above 1, acks=all gets NOT_ENOUGH_REPLICAS on a single broker.
    public var minInsyncReplicas: Int32 = 1
    /// `offsets.topic.num.partitions`.
    public var offsetsTopicNumPartitions: Int32 = 50
    /// `offsets.topic.segment.bytes`: segments of `__consumer_offsets` are kept small so that
    /// compaction, which works on closed segments, keeps the topic small.
    public var offsetsTopicSegmentBytes: Int32 = 104_857_600
    /// `offsets.retention.minutes`: committed offsets of a group without members expire after this.
    public var offsetsRetentionMinutes: Int64 = 10_080
    /// `offsets.retention.check.interval.ms`.
    public var offsetsRetentionCheckIntervalMs: Int64 = 600_000
    /// `group.initial.rebalance.delay.ms`. Samsa's default is 0, as in the server.properties that
    /// Kafka ships, so a lone consumer joins at once; Kafka's built-in default is 3000.
    public var groupInitialRebalanceDelayMs: Int32 = 0
    /// `group.min.session.timeout.ms`.
    public var groupMinSessionTimeoutMs: Int32 = 6_000
    /// `group.max.session.timeout.ms`.
    public var groupMaxSessionTimeoutMs: Int32 = 1_800_000
    /// `cluster.id`: normally read from meta.properties or generated on first start.
    public var clusterId: String?
    /// `metrics.listener` (Samsa's own): where `samsa broker` serves Prometheus metrics and the web
    /// console over HTTP; nil (an empty value) turns both off.
    public var metricsListener: Listener? = Listener(host: "localhost", port: 9645)
    /// `log.level` (Samsa's own): the least severe log level `samsa broker` prints.
    public var logLevel: Logger.Level = .info

    public init() {}

    /// A host and port to listen on or to advertise.
    public struct Listener: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { "PLAINTEXT://\(host):\(port)" }
    }
}
