extension KafkaProducerConfiguration: ClientConnectionOptions {
    /// Every option `init(properties:)` reads and `clusterConfiguration()` checks. Serializers and
    /// the partitioner are code, not text: they are set on the configuration itself.
    static let options: [ClientOption<Self>] =
        ClientOption.connectionOptions + [
            .optionalText("client_id", \.clientId),
            .boolean("enable_idempotence", \.enableIdempotence),
            .optionalText("transactional_id", \.transactionalId),
            .integer("transaction_timeout_ms", \.transactionTimeoutMs, atLeast: 1),
            .integer("delivery_timeout_ms", \.deliveryTimeoutMs, atLeast: 1),
            .parsed("acks", \.acks, expected: "0, 1 or all", parse: KafkaAcks.init),
            .parsed("compression_type", \.compressionType, expected: "none, gzip, snappy, lz4 or zstd", parse: KafkaCompressionType.init),
            .integer("retries", \.retries, atLeast: 0),
            .integer("batch_size", \.batchSize, atLeast: 1),
            .integer("linger_ms", \.lingerMs, atLeast: 0),
            .integer("max_block_ms", \.maxBlockMs, atLeast: 0),
            .integer("max_request_size", \.maxRequestSize, atLeast: 1),
            .boolean("allow_auto_create_topics", \.allowAutoCreateTopics),
            .integer("max_in_flight_requests_per_connection", \.maxInFlightRequestsPerConnection, atLeast: 1),
        ]

    /// Builds the configuration from kafka-python's snake_case keys or Java's dotted keys
    /// (`linger_ms` or `linger.ms`). Unknown keys and malformed values throw.
    public init(properties: [String: String]) throws(KafkaError) {
        self.init()
        try Self.options.apply(properties, to: &self)
    }
}
