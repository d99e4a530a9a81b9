/// Options of `KafkaAdminClient`, named after kafka-python 3.0.12's `KafkaAdminClient` options
/// (camel-cased) with the same defaults.
@dynamicMemberLookup
public struct KafkaAdminConfiguration: Sendable, KafkaSecurityConfigurable {
    /// kafka-python `bootstrap_servers`, default `'localhost'` (port 9092): "host:port" strings
    /// tried in order until one answers.
    public var bootstrapServers: [String] = ["localhost:9092"]
    /// kafka-python `client_id`, default `'kafka-python-3.0.12'`; here the SDK's name and version.
    public var clientId: String = KafkaClientVersion.defaultClientId
    /// kafka-python `request_timeout_ms`, default 30000.
    public var requestTimeoutMs: Int = 30000
    /// kafka-python `reconnect_backoff_ms`, default 50.
    public var reconnectBackoffMs: Int = 50
    /// kafka-python `reconnect_backoff_max_ms`, default 30000.
    public var reconnectBackoffMaxMs: Int = 30000
    /// kafka-python `receive_message_max_bytes`, default 100000000: larger responses are refused.
    public var receiveMessageMaxBytes: Int = 100_000_000
    /// kafka-python `retry_backoff_ms`, default 100.
    public var retryBackoffMs: Int = 100
    /// kafka-python `metadata_max_age_ms`, default 300000.
    public var metadataMaxAgeMs: Int = 300_000
    /// kafka-python `bootstrap_timeout_ms`, default 30000: how long to keep trying to reach a
    /// bootstrap server before failing.
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
            bootstrapServers: bootstrapServers, clientId: clientId, requestTimeoutMs: requestTimeoutMs,
            receiveMessageMaxBytes: receiveMessageMaxBytes, reconnectBackoffMs: reconnectBackoffMs,
            reconnectBackoffMaxMs: reconnectBackoffMaxMs, bootstrapTimeoutMs: bootstrapTimeoutMs,
            metadataMaxAgeMs: metadataMaxAgeMs, retryBackoffMs: retryBackoffMs, allowAutoCreateTopics: false, tls: try clientTLS(),
            sasl: try clientSASL())
    }
}
