extension KafkaAdminConfiguration {
    /// Builds the configuration from kafka-python's snake_case keys or Java's dotted keys
    /// (`bootstrap_servers` or `bootstrap.servers`). Unknown keys and malformed values throw.
    public init(properties: [String: String]) throws(KafkaError) {
        self.init()
        var properties = try ConfigurationProperties(properties)
        if let value = properties.list("bootstrap_servers") { bootstrapServers = value }
        if let value = properties.string("client_id") { clientId = value }
        if let value = try properties.int("request_timeout_ms") { requestTimeoutMs = value }
        if let value = try properties.int("reconnect_backoff_ms") { reconnectBackoffMs = value }
        if let value = try properties.int("reconnect_backoff_max_ms") { reconnectBackoffMaxMs = value }
        if let value = try properties.int("receive_message_max_bytes") { receiveMessageMaxBytes = value }
        if let value = try properties.int("retry_backoff_ms") { retryBackoffMs = value }
        if let value = try properties.int("metadata_max_age_ms") { metadataMaxAgeMs = value }
        if let value = try properties.int("bootstrap_timeout_ms") { bootstrapTimeoutMs = value }
        try properties.finish()
    }
}
