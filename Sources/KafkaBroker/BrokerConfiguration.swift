import KafkaRecords
import KafkaStorage
import Logging

/// The broker's settings as typed values, named and defaulted as in Kafka's server.properties.
///
/// Each property is one setting of `BrokerConfiguration.settings`, which declares its key, the
/// validation of its text and its documentation; the initial value here is its default. Durations
/// and sizes keep Kafka's units in their names; -1 means "unlimited" where Kafka says so.
public struct BrokerConfiguration: Sendable, Equatable {
    /// `listener.security.protocol.map`, Kafka's default.
    public var listenerSecurityProtocolMap: [String: String] = [
        "SASL_SSL": "SASL_SSL", "PLAINTEXT": "PLAINTEXT", "SSL": "SSL", "SASL_PLAINTEXT": "SASL_PLAINTEXT",
    ]
    /// `listeners`.
    public var listener: Listener = Listener(host: "localhost", port: 9092)
    /// `advertised.listeners`; nil advertises `listener`.
    public var advertisedListener: Listener?
    /// `node.id` (or `broker.id`).
    public var nodeId: Int32 = 1
    /// `log.dirs` (or `log.dir`).
    public var logDirectory: String = "./samsa-data"
    /// `num.partitions`.
    public var numPartitions: Int32 = 1
    /// `auto.create.topics.enable`.
    public var autoCreateTopics: Bool = true
    /// `delete.topic.enable`.
    public var deleteTopicEnable: Bool = true
    /// `log.retention.ms` (or `.minutes`, `.hours`).
    public var logRetentionMs: Int64 = 168 * 3_600_000
    /// `log.retention.bytes`.
    public var logRetentionBytes: Int64 = -1
    /// `log.segment.bytes`.
    public var logSegmentBytes: Int64 = 1_073_741_824
    /// `log.roll.ms` (or `log.roll.hours`).
    public var logRollMs: Int64 = 168 * 3_600_000
    /// `log.index.interval.bytes`.
    public var logIndexIntervalBytes: Int32 = 4096
    /// `log.flush.interval.messages`.
    public var logFlushIntervalMessages: Int64 = Int64.max
    /// `log.flush.interval.ms`; nil never flushes on time alone.
    public var logFlushIntervalMs: Int64?
    /// `log.retention.check.interval.ms`.
    public var logRetentionCheckIntervalMs: Int64 = 300_000
    /// `log.cleanup.policy`.
    public var logCleanupPolicy: LogConfiguration.CleanupPolicy = .delete
    /// `log.cleaner.delete.retention.ms`.
    public var logCleanerDeleteRetentionMs: Int64 = 86_400_000
    /// `log.message.timestamp.type`.
    public var logMessageTimestampType: TimestampType = .createTime
    /// `message.max.bytes`.
    public var messageMaxBytes: Int32 = 1_048_588
    /// `socket.request.max.bytes`.
    public var socketRequestMaxBytes: Int32 = 104_857_600
    /// `fetch.max.bytes`.
    public var fetchMaxBytes: Int32 = 57_671_680
    /// `max.connections`.
    public var maxConnections: Int32 = Int32.max
    /// `max.connections.per.ip`.
    public var maxConnectionsPerIp: Int32 = Int32.max
    /// `max.connections.per.ip.overrides`.
    public var maxConnectionsPerIpOverrides: [String: Int32] = [:]
    /// `connections.max.idle.ms`. Counting whole requests (Kafka counts any byte) also cuts off
    /// clients that trickle a request in a byte at a time.
    public var connectionsMaxIdleMs: Int64 = 600_000
    /// No server.properties key: a client that never reads its responses holds at most this plus
    /// one response in the broker.
    public var queuedResponseMaxBytes: Int = 1 << 20
    /// `compression.type`; nil is `producer` (batches are stored as sent).
    public var compressionType: CompressionCodec?
    /// `default.replication.factor`.
    public var defaultReplicationFactor: Int16 = 1
    /// `min.insync.replicas`.
    public var minInsyncReplicas: Int32 = 1
    /// `offsets.topic.num.partitions`.
    public var offsetsTopicNumPartitions: Int32 = 50
    /// `offsets.topic.segment.bytes`.
    public var offsetsTopicSegmentBytes: Int32 = 104_857_600
    /// `offsets.retention.minutes`.
    public var offsetsRetentionMinutes: Int64 = 10_080
    /// `offsets.retention.check.interval.ms`.
    public var offsetsRetentionCheckIntervalMs: Int64 = 600_000
    /// `transaction.state.log.num.partitions`.
    public var transactionStateLogNumPartitions: Int32 = 50
    /// `transaction.state.log.segment.bytes`.
    public var transactionStateLogSegmentBytes: Int32 = 104_857_600
    /// `transaction.max.timeout.ms`.
    public var transactionMaxTimeoutMs: Int32 = 900_000
    /// `transactional.id.expiration.ms`.
    public var transactionalIdExpirationMs: Int32 = 604_800_000
    /// `transaction.abort.timed.out.transaction.cleanup.interval.ms`.
    public var transactionAbortTimedOutTransactionCleanupIntervalMs: Int32 = 10_000
    /// `group.initial.rebalance.delay.ms`.
    public var groupInitialRebalanceDelayMs: Int32 = 0
    /// `group.min.session.timeout.ms`.
    public var groupMinSessionTimeoutMs: Int32 = 6_000
    /// `group.max.session.timeout.ms`.
    public var groupMaxSessionTimeoutMs: Int32 = 1_800_000
    /// `cluster.id`.
    public var clusterId: String?
    /// `metrics.listener` (Samsa's own); nil turns metrics and the console off.
    public var metricsListener: Listener? = Listener(host: "localhost", port: 9645)
    /// `log.level` (Samsa's own).
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
