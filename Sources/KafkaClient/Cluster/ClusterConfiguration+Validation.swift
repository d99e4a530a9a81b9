import NIOCore

extension ClusterConfiguration {
    /// Checks the shared options of a public configuration and converts them.
    init(
        bootstrapServers: [String], clientId: String?, requestTimeoutMs: Int, receiveMessageMaxBytes: Int,
        reconnectBackoffMs: Int, reconnectBackoffMaxMs: Int, bootstrapTimeoutMs: Int, metadataMaxAgeMs: Int,
        retryBackoffMs: Int, allowAutoCreateTopics: Bool, tls: ClientTLS?, sasl: ClientSASL?
    ) throws(KafkaError) {
        var addresses: [BrokerAddress] = []
        for server in bootstrapServers {
            guard let parsed = BrokerAddress.list(server) else {
                throw KafkaError.invalidConfiguration("bootstrap_servers: '\(server)' is not host:port")
            }
            addresses += parsed
        }
        guard !addresses.isEmpty else { throw KafkaError.invalidConfiguration("bootstrap_servers is empty") }
        for (name, value) in [
            ("request_timeout_ms", requestTimeoutMs), ("bootstrap_timeout_ms", bootstrapTimeoutMs),
            ("receive_message_max_bytes", receiveMessageMaxBytes),
        ] where value <= 0 {
            throw KafkaError.invalidConfiguration("\(name) must be positive, not \(value)")
        }
        for (name, value) in [
            ("reconnect_backoff_ms", reconnectBackoffMs), ("reconnect_backoff_max_ms", reconnectBackoffMaxMs),
            ("metadata_max_age_ms", metadataMaxAgeMs), ("retry_backoff_ms", retryBackoffMs),
        ] where value < 0 {
            throw KafkaError.invalidConfiguration("\(name) must not be negative, not \(value)")
        }
        self.init(
            bootstrapServers: addresses,
            connection: ConnectionConfiguration(
                clientId: clientId, requestTimeout: .milliseconds(Int64(requestTimeoutMs)), maximumResponseSize: receiveMessageMaxBytes,
                tls: tls, sasl: sasl),
            reconnectBackoffMs: reconnectBackoffMs, reconnectBackoffMaxMs: reconnectBackoffMaxMs,
            bootstrapTimeoutMs: bootstrapTimeoutMs, metadataMaxAgeMs: metadataMaxAgeMs, retryBackoffMs: retryBackoffMs,
            allowAutoCreateTopics: allowAutoCreateTopics)
    }
}
