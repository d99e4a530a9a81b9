/// Options of `KafkaConsumer`, named after kafka-python 3.0.12's `KafkaConsumer` options
/// (camel-cased) with the same defaults.
@dynamicMemberLookup
public struct KafkaConsumerConfiguration: Sendable, KafkaSecurityConfigurable {
    /// kafka-python `bootstrap_servers`, default `'localhost'` (port 9092).
    public var bootstrapServers: [String] = ["localhost:9092"]
    /// kafka-python `client_id`, default `'kafka-python-3.0.12'`; here the SDK's name and version.
    public var clientId: String = KafkaClientVersion.defaultClientId
    /// kafka-python `group_id`, default `None`: without a group, partitions are `assign`ed by hand
    /// and offsets cannot be committed.
    public var groupId: String?
    /// kafka-python `group_instance_id`, default `None`: a name for this member that stays the same
    /// across restarts (static membership, KIP-345). The coordinator keeps the member's partitions
    /// through a restart within `sessionTimeoutMs` instead of rebalancing, and the consumer does not
    /// leave the group on close. Two running consumers with the same name fence each other.
    public var groupInstanceId: String?
    /// kafka-python `key_deserializer`, default `None` (bytes); here `.bytes` (`ByteBuffer`).
    public var keyDeserializer: KafkaDeserializer = .bytes
    /// kafka-python `value_deserializer`, default `None`; here `.bytes`.
    public var valueDeserializer: KafkaDeserializer = .bytes
    /// kafka-python `fetch_max_wait_ms`, default 500: how long the broker may hold a Fetch waiting
    /// for `fetchMinBytes`.
    public var fetchMaxWaitMs: Int = 500
    /// kafka-python `fetch_min_bytes`, default 1.
    public var fetchMinBytes: Int = 1
    /// kafka-python `fetch_max_bytes`, default 52428800: the most a Fetch response may carry.
    public var fetchMaxBytes: Int = 52_428_800
    /// kafka-python `max_partition_fetch_bytes`, default 1048576: per partition and Fetch.
    public var maxPartitionFetchBytes: Int = 1_048_576
    /// kafka-python `request_timeout_ms`, default 30000.
    public var requestTimeoutMs: Int = 30000
    /// kafka-python `retry_backoff_ms`, default 100.
    public var retryBackoffMs: Int = 100
    /// kafka-python `reconnect_backoff_ms`, default 50.
    public var reconnectBackoffMs: Int = 50
    /// kafka-python `reconnect_backoff_max_ms`, default 30000.
    public var reconnectBackoffMaxMs: Int = 30000
    /// kafka-python `auto_offset_reset`, default `'latest'`: where to start without a committed
    /// offset, or when the position is out of range.
    public var autoOffsetReset: KafkaAutoOffsetReset = .latest
    /// kafka-python `enable_auto_commit`, default `True`: commit positions every
    /// `autoCommitIntervalMs` during polls, before a rebalance and on close.
    public var enableAutoCommit: Bool = true
    /// kafka-python `auto_commit_interval_ms`, default 5000.
    public var autoCommitIntervalMs: Int = 5000
    /// kafka-python `check_crcs`, default `True`: verify each batch's CRC-32C.
    public var checkCrcs: Bool = true
    /// kafka-python `isolation_level`, default `'read_uncommitted'`.
    public var isolationLevel: KafkaIsolationLevel = .readUncommitted
    /// kafka-python `allow_auto_create_topics`, default `True`.
    public var allowAutoCreateTopics: Bool = true
    /// kafka-python `metadata_max_age_ms`, default 300000.
    public var metadataMaxAgeMs: Int = 300_000
    /// kafka-python `partition_assignment_strategy`, default `(RangePartitionAssignor,
    /// RoundRobinPartitionAssignor)`: offered in this order; the group uses the first all members have.
    public var partitionAssignmentStrategy: [KafkaPartitionAssignor] = [.range, .roundRobin]
    /// kafka-python `max_poll_records`, default 500.
    public var maxPollRecords: Int = 500
    /// kafka-python `max_poll_interval_ms`, default 300000: sent as the rebalance timeout.
    public var maxPollIntervalMs: Int = 300_000
    /// kafka-python `session_timeout_ms`, default 45000.
    public var sessionTimeoutMs: Int = 45000
    /// kafka-python `heartbeat_interval_ms`, default 3000.
    public var heartbeatIntervalMs: Int = 3000
    /// kafka-python `receive_message_max_bytes`, default 100000000.
    public var receiveMessageMaxBytes: Int = 100_000_000
    /// kafka-python `consumer_timeout_ms`, default `float('inf')` (here nil): iteration over the
    /// consumer ends after this long without a record.
    public var consumerTimeoutMs: Int?
    /// kafka-python `bootstrap_timeout_ms`, default 30000.
    public var bootstrapTimeoutMs: Int = 30000
    /// kafka-python `exclude_internal_topics`, default `True`: pattern subscriptions skip topics
    /// such as `__consumer_offsets`.
    public var excludeInternalTopics: Bool = true

    /// kafka-python's `security_protocol` and `ssl_*` options, also readable and settable as
    /// `securityProtocol`, `sslCafile`, … on the configuration itself.
    public var security = KafkaSecurityOptions()

    public init(bootstrapServers: [String] = ["localhost:9092"], groupId: String? = nil) {
        self.bootstrapServers = bootstrapServers
        self.groupId = groupId
    }

    func clusterConfiguration() throws(KafkaError) -> ClusterConfiguration {
        try Self.options.validate(self)
        guard heartbeatIntervalMs < sessionTimeoutMs else {
            throw KafkaError.invalidConfiguration("heartbeat_interval_ms must be below session_timeout_ms")
        }
        return try ClusterConfiguration(
            bootstrapServers: bootstrapServers, clientId: clientId, requestTimeoutMs: requestTimeoutMs,
            receiveMessageMaxBytes: receiveMessageMaxBytes, reconnectBackoffMs: reconnectBackoffMs,
            reconnectBackoffMaxMs: reconnectBackoffMaxMs, bootstrapTimeoutMs: bootstrapTimeoutMs,
            metadataMaxAgeMs: metadataMaxAgeMs, retryBackoffMs: retryBackoffMs, allowAutoCreateTopics: allowAutoCreateTopics,
            tls: try clientTLS(), sasl: try clientSASL())
    }
}
