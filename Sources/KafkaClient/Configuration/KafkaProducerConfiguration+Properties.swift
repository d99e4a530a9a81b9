extension KafkaProducerConfiguration {
    /// Builds the configuration from kafka-python's snake_case keys or Java's dotted keys
    /// (`linger_ms` or `linger.ms`). Serializers and the partitioner are code, not text: set them on
    /// the result. Unknown keys and malformed values throw.
    public init(properties: [String: String]) throws(KafkaError) {
        self.init()
        var properties = try ConfigurationProperties(properties)
        if let value = properties.list("bootstrap_servers") { bootstrapServers = value }
        if let value = properties.string("client_id") { clientId = value }
        if let value = try properties.bool("enable_idempotence") { enableIdempotence = value }
        if let value = try properties.int("delivery_timeout_ms") { deliveryTimeoutMs = value }
        if let value = try properties.value("acks", expected: "0, 1 or all", KafkaAcks.init) { acks = value }
        if let value = try properties.value("compression_type", expected: "none, gzip, snappy, lz4 or zstd", KafkaCompressionType.init) {
            compressionType = value
        }
        if let value = try properties.int("retries") { retries = value }
        if let value = try properties.int("batch_size") { batchSize = value }
        if let value = try properties.int("linger_ms") { lingerMs = value }
        if let value = try properties.int("max_block_ms") { maxBlockMs = value }
        if let value = try properties.int("max_request_size") { maxRequestSize = value }
        if let value = try properties.bool("allow_auto_create_topics") { allowAutoCreateTopics = value }
        if let value = try properties.int("metadata_max_age_ms") { metadataMaxAgeMs = value }
        if let value = try properties.int("retry_backoff_ms") { retryBackoffMs = value }
        if let value = try properties.int("request_timeout_ms") { requestTimeoutMs = value }
        if let value = try properties.int("receive_message_max_bytes") { receiveMessageMaxBytes = value }
        if let value = try properties.int("reconnect_backoff_ms") { reconnectBackoffMs = value }
        if let value = try properties.int("reconnect_backoff_max_ms") { reconnectBackoffMaxMs = value }
        if let value = try properties.int("max_in_flight_requests_per_connection") { maxInFlightRequestsPerConnection = value }
        if let value = try properties.int("bootstrap_timeout_ms") { bootstrapTimeoutMs = value }
        try properties.finish()
    }
}
