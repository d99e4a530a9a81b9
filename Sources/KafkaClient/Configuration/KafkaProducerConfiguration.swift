/// Options of `KafkaProducer`, named after kafka-python 3.0.12's `KafkaProducer` options
/// (camel-cased) with the same defaults: acks=all with idempotence, no linger, 16 KiB batches.
@dynamicMemberLookup
public struct KafkaProducerConfiguration: Sendable, KafkaSecurityConfigurable {
    /// kafka-python `bootstrap_servers`, default `'localhost'` (port 9092): "host:port" strings
    /// tried in order until one answers.
    public var bootstrapServers: [String] = ["localhost:9092"]
    /// kafka-python `client_id`, default `None` (a generated `kafka-python-producer-N`); here nil
    /// sends the SDK's name and version.
    public var clientId: String?
    /// kafka-python `key_serializer`, default `None` (keys must be bytes); here `.bytes`, which
    /// takes `ByteBuffer`, `[UInt8]` or `String`.
    public var keySerializer: KafkaSerializer = .bytes
    /// kafka-python `value_serializer`, default `None`; here `.bytes`.
    public var valueSerializer: KafkaSerializer = .bytes
    /// kafka-python `enable_idempotence`, default `True`: InitProducerId and sequence numbers, so
    /// retries cannot duplicate records. As in kafka-python, it is dropped (with a warning) when
    /// `acks` is not `all`.
    public var enableIdempotence: Bool = true
    /// kafka-python `transactional_id`, default `None`: the id that makes the producer
    /// transactional (`initTransactions()`, `beginTransaction()`, `commitTransaction()`…). A newer
    /// producer with the same id fences this one. Needs `enableIdempotence` and `acks` all.
    public var transactionalId: String?
    /// kafka-python `transaction_timeout_ms`, default 60000: how long the coordinator lets a
    /// transaction stay open before it aborts it and fences the producer. At most the broker's
    /// `transaction.max.timeout.ms`.
    public var transactionTimeoutMs: Int = 60000
    /// kafka-python `delivery_timeout_ms`, default 120000: a record not acknowledged this long
    /// after `send` fails, retries included.
    public var deliveryTimeoutMs: Int = 120_000
    /// kafka-python `acks`, default -1 (`all`).
    public var acks: KafkaAcks = .all
    /// kafka-python `compression_type`, default `None`: none, gzip, snappy, lz4 or zstd.
    public var compressionType: KafkaCompressionType = .none
    /// kafka-python `retries`, default `float('inf')` (here `Int.max`): resends of a batch after
    /// a retriable error, within `deliveryTimeoutMs`.
    public var retries: Int = .max
    /// kafka-python `batch_size`, default 16384: the uncompressed bytes a partition's batch may
    /// reach before it is sent without waiting for `lingerMs`.
    public var batchSize: Int = 16384
    /// kafka-python `linger_ms`, default 0: how long a batch waits for more records.
    public var lingerMs: Int = 0
    /// kafka-python `partitioner`, default `DefaultPartitioner()` (murmur2 of the key, random for
    /// unkeyed records).
    public var partitioner: KafkaPartitioner = .default
    /// kafka-python `max_block_ms`, default 60000: how long `send` waits for a topic's metadata.
    public var maxBlockMs: Int = 60000
    /// kafka-python `max_request_size`, default 1048576: a record larger than this is refused.
    public var maxRequestSize: Int = 1_048_576
    /// kafka-python `allow_auto_create_topics`, default `True`.
    public var allowAutoCreateTopics: Bool = true
    /// kafka-python `metadata_max_age_ms`, default 300000.
    public var metadataMaxAgeMs: Int = 300_000
    /// kafka-python `retry_backoff_ms`, default 100.
    public var retryBackoffMs: Int = 100
    /// kafka-python `request_timeout_ms`, default 30000.
    public var requestTimeoutMs: Int = 30000
    /// kafka-python `receive_message_max_bytes`, default 100000000.
    public var receiveMessageMaxBytes: Int = 100_000_000
    /// kafka-python `reconnect_backoff_ms`, default 50.
    public var reconnectBackoffMs: Int = 50
    /// kafka-python `reconnect_backoff_max_ms`, default 30000.
    public var reconnectBackoffMaxMs: Int = 30000
    /// kafka-python `max_in_flight_requests_per_connection`, default 5: Produce requests open at
    /// once per broker. Order is kept regardless, since a partition has one batch in flight.
    public var maxInFlightRequestsPerConnection: Int = 5
    /// kafka-python `bootstrap_timeout_ms`, default 30000.
    public var bootstrapTimeoutMs: Int = 30000

    /// kafka-python's `security_protocol` and `ssl_*` options, also readable and settable as
    /// `securityProtocol`, `sslCafile`, … on the configuration itself.
    public var security = KafkaSecurityOptions()

    public init(bootstrapServers: [String] = ["localhost:9092"]) {
        self.bootstrapServers = bootstrapServers
    }

    func clusterConfiguration() throws(KafkaError) -> ClusterConfiguration {
        try Self.options.validate(self)
        return try ClusterConfiguration(
            bootstrapServers: bootstrapServers, clientId: clientId ?? KafkaClientVersion.defaultClientId,
            requestTimeoutMs: requestTimeoutMs, receiveMessageMaxBytes: receiveMessageMaxBytes,
            reconnectBackoffMs: reconnectBackoffMs, reconnectBackoffMaxMs: reconnectBackoffMaxMs,
            bootstrapTimeoutMs: bootstrapTimeoutMs, metadataMaxAgeMs: metadataMaxAgeMs, retryBackoffMs: retryBackoffMs,
            allowAutoCreateTopics: allowAutoCreateTopics, tls: try clientTLS(), sasl: try clientSASL())
    }
}
