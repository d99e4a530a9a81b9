extension KafkaConsumerConfiguration {
    /// Builds the configuration from kafka-python's snake_case keys or Java's dotted keys
    /// (`group_id` or `group.id`). Deserializers are code, not text: set them on the result.
    /// Unknown keys and malformed values throw.
    public init(properties: [String: String]) throws(KafkaError) {
        self.init()
        var properties = try ConfigurationProperties(properties)
        if let value = properties.list("bootstrap_servers") { bootstrapServers = value }
        if let value = properties.string("client_id") { clientId = value }
        if let value = properties.string("group_id") { groupId = value }
        if let value = try properties.int("fetch_max_wait_ms") { fetchMaxWaitMs = value }
        if let value = try properties.int("fetch_min_bytes") { fetchMinBytes = value }
        if let value = try properties.int("fetch_max_bytes") { fetchMaxBytes = value }
        if let value = try properties.int("max_partition_fetch_bytes") { maxPartitionFetchBytes = value }
        if let value = try properties.int("request_timeout_ms") { requestTimeoutMs = value }
        if let value = try properties.int("retry_backoff_ms") { retryBackoffMs = value }
        if let value = try properties.int("reconnect_backoff_ms") { reconnectBackoffMs = value }
        if let value = try properties.int("reconnect_backoff_max_ms") { reconnectBackoffMaxMs = value }
        if let value = try properties.value("auto_offset_reset", expected: "earliest, latest or none", KafkaAutoOffsetReset.init) {
            autoOffsetReset = value
        }
        if let value = try properties.bool("enable_auto_commit") { enableAutoCommit = value }
        if let value = try properties.int("auto_commit_interval_ms") { autoCommitIntervalMs = value }
        if let value = try properties.bool("check_crcs") { checkCrcs = value }
        if let value = try properties.value("isolation_level", expected: "read_uncommitted or read_committed", KafkaIsolationLevel.init) {
            isolationLevel = value
        }
        if let value = try properties.bool("allow_auto_create_topics") { allowAutoCreateTopics = value }
        if let value = try properties.int("metadata_max_age_ms") { metadataMaxAgeMs = value }
        if let names = properties.list("partition_assignment_strategy") {
            var assignors: [KafkaPartitionAssignor] = []
            for name in names {
                guard let assignor = KafkaPartitionAssignor(name) else {
                    throw KafkaError.invalidConfiguration("partition_assignment_strategy: unknown assignor '\(name)' (range, roundrobin)")
                }
                assignors.append(assignor)
            }
            partitionAssignmentStrategy = assignors
        }
        if let value = try properties.int("max_poll_records") { maxPollRecords = value }
        if let value = try properties.int("max_poll_interval_ms") { maxPollIntervalMs = value }
        if let value = try properties.int("session_timeout_ms") { sessionTimeoutMs = value }
        if let value = try properties.int("heartbeat_interval_ms") { heartbeatIntervalMs = value }
        if let value = try properties.int("receive_message_max_bytes") { receiveMessageMaxBytes = value }
        if let value = try properties.value("consumer_timeout_ms", expected: "a number of milliseconds or inf", Self.parseTimeout) {
            consumerTimeoutMs = value
        }
        if let value = try properties.int("bootstrap_timeout_ms") { bootstrapTimeoutMs = value }
        if let value = try properties.bool("exclude_internal_topics") { excludeInternalTopics = value }
        try properties.finish()
    }

    /// "inf" (kafka-python's float('inf')) means no timeout.
    private static func parseTimeout(_ text: String) -> Int?? {
        if ["inf", "infinity", "none", ""].contains(text.lowercased()) { return .some(nil) }
        return Int(text).map { .some($0) }
    }
}
