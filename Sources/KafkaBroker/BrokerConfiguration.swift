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
    public var listenerSecurityProtocolMap: [String: SecurityProtocol] = Dictionary(
        uniqueKeysWithValues: SecurityProtocol.allCases.map { ($0.rawValue, $0) })
    /// `controller.listener.names`: Kafka's KRaft controller listeners, which Samsa does not bind.
    public var controllerListenerNames: [String] = []
    /// `listeners`.
    public var listeners: [KafkaListener] = [KafkaListener(name: "PLAINTEXT", securityProtocol: .plaintext, host: "localhost", port: 9092)]
    /// `advertised.listeners`; a listener without an entry here advertises its own address.
    public var advertisedListeners: [KafkaListener] = []
    /// `ssl.keystore.type`.
    public var sslKeystoreType: TLSStoreType = .pem
    /// `ssl.keystore.location`.
    public var sslKeystoreLocation: String?
    /// `ssl.keystore.password`.
    public var sslKeystorePassword: String?
    /// `ssl.key.password`.
    public var sslKeyPassword: String?
    /// `ssl.keystore.certificate.chain`.
    public var sslKeystoreCertificateChain: String?
    /// `ssl.keystore.key`.
    public var sslKeystoreKey: String?
    /// `ssl.truststore.type`.
    public var sslTruststoreType: TLSStoreType = .pem
    /// `ssl.truststore.location`.
    public var sslTruststoreLocation: String?
    /// `ssl.truststore.password`.
    public var sslTruststorePassword: String?
    /// `ssl.truststore.certificates`.
    public var sslTruststoreCertificates: String?
    /// `ssl.client.auth`.
    public var sslClientAuth: TLSClientAuthentication = .none
    /// `ssl.enabled.protocols`.
    public var sslEnabledProtocols: [TLSProtocolVersion] = [.tlsv12, .tlsv13]
    /// `ssl.cipher.suites`; empty leaves the TLS library's defaults.
    public var sslCipherSuites: [String] = []
    /// `listener.name.<name>.ssl.*`: per listener (by upper-case name), `ssl.*` keys and their text.
    public var listenerSSLOverrides: [String: [String: String]] = [:]
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
    /// `log.cleaner.enable`.
    public var logCleanerEnable: Bool = true
    /// `log.cleaner.backoff.ms`.
    public var logCleanerBackoffMs: Int64 = 15_000
    /// `log.cleaner.min.cleanable.ratio`.
    public var logCleanerMinCleanableRatio: Double = 0.5
    /// `log.cleaner.min.compaction.lag.ms`.
    public var logCleanerMinCompactionLagMs: Int64 = 0
    /// `log.cleaner.max.compaction.lag.ms`.
    public var logCleanerMaxCompactionLagMs: Int64 = Int64.max
    /// `log.message.timestamp.type`.
    public var logMessageTimestampType: TimestampType = .createTime
    /// `log.message.timestamp.difference.max.ms`, deprecated since Kafka 3.6: the bound the two
    /// below fall back to while they keep their default.
    public var logMessageTimestampDifferenceMaxMs: Int64 = Int64.max
    /// `log.message.timestamp.before.max.ms`.
    public var logMessageTimestampBeforeMaxMs: Int64 = Int64.max
    /// `log.message.timestamp.after.max.ms`; Kafka 3.x's default (4.0 lowers it to an hour).
    public var logMessageTimestampAfterMaxMs: Int64 = Int64.max
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
    /// `sasl.enabled.mechanisms`, as named; only PLAIN and SCRAM-SHA-256/512 can serve a SASL listener.
    public var saslEnabledMechanisms: [String] = ["GSSAPI"]
    /// The `listener.name.<listener>.<mechanism>.sasl.jaas.config` values, by `<listener>.<mechanism>` in lower case.
    public var saslJaasConfigs: [String: String] = [:]
    /// `connections.max.reauth.ms`; 0 lets a SASL session last as long as its connection.
    public var connectionsMaxReauthMs: Int64 = 0
    /// `sasl.server.max.receive.size`.
    public var saslServerMaxReceiveSize: Int32 = 524_288
    /// `sasl.authentication.timeout.ms` (Samsa's own).
    public var saslAuthenticationTimeoutMs: Int64 = 10_000
    /// `authorizer.class.name`: one of Kafka's authorizers turns Samsa's on; empty leaves every
    /// request allowed.
    public var authorizerClassName: String = ""
    /// `super.users`: principals (`User:admin`) that every check allows.
    public var superUsers: [String] = []
    /// `allow.everyone.if.no.acl.found`.
    public var allowEveryoneIfNoAclFound: Bool = false

    /// Whether requests are checked against ACLs.
    public var authorizerEnabled: Bool { !authorizerClassName.isEmpty }

    public init() {}

    /// A host and port to listen on or to advertise.
    public struct Listener: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `host:port`, with an IPv6 address in brackets.
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }
}
