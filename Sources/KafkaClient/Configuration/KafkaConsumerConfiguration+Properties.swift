extension KafkaConsumerConfiguration: ClientConnectionOptions {
    /// Every option `init(properties:)` reads and `clusterConfiguration()` checks. Deserializers
    /// are code, not text: they are set on the configuration itself.
    static let options: [ClientOption<Self>] =
        ClientOption.connectionOptions + [
            .text("client_id", \.clientId),
            .optionalText("group_id", \.groupId),
            .optionalText("group_instance_id", \.groupInstanceId),
            .integer("fetch_max_wait_ms", \.fetchMaxWaitMs, atLeast: 0),
            .integer("fetch_min_bytes", \.fetchMinBytes, atLeast: 0),
            .integer("fetch_max_bytes", \.fetchMaxBytes, atLeast: 1),
            .integer("max_partition_fetch_bytes", \.maxPartitionFetchBytes, atLeast: 1),
            .parsed("auto_offset_reset", \.autoOffsetReset, expected: "earliest, latest or none", parse: KafkaAutoOffsetReset.init),
            .boolean("enable_auto_commit", \.enableAutoCommit),
            .integer("auto_commit_interval_ms", \.autoCommitIntervalMs, atLeast: 1),
            .boolean("check_crcs", \.checkCrcs),
            .parsed("isolation_level", \.isolationLevel, expected: "read_uncommitted or read_committed", parse: KafkaIsolationLevel.init),
            .boolean("allow_auto_create_topics", \.allowAutoCreateTopics),
            .parsed(
                "partition_assignment_strategy", \.partitionAssignmentStrategy, expected: "a list of range and roundrobin",
                parse: { text in
                    let names = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
                    let assignors = names.compactMap(KafkaPartitionAssignor.init)
                    return assignors.count == names.count ? assignors : nil
                },
                validate: { $0.isEmpty ? "is empty" : nil }),
            .integer("max_poll_records", \.maxPollRecords, atLeast: 1),
            .integer("max_poll_interval_ms", \.maxPollIntervalMs, atLeast: 1),
            .integer("session_timeout_ms", \.sessionTimeoutMs, atLeast: 1),
            .integer("heartbeat_interval_ms", \.heartbeatIntervalMs, atLeast: 1),
            .parsed(
                "consumer_timeout_ms", \.consumerTimeoutMs, expected: "a number of milliseconds or inf",
                parse: { text in
                    // "inf" is kafka-python's float('inf'): no timeout.
                    if ["inf", "infinity", "none", ""].contains(text.lowercased()) { return .some(nil) }
                    return Int(text).map { .some($0) }
                },
                validate: { timeout in timeout.map { $0 < 0 } == true ? "must not be negative" : nil }),
            .boolean("exclude_internal_topics", \.excludeInternalTopics),
        ]

    /// Builds the configuration from kafka-python's snake_case keys or Java's dotted keys
    /// (`group_id` or `group.id`). Unknown keys and malformed values throw.
    public init(properties: [String: String]) throws(KafkaError) {
        self.init()
        try Self.options.apply(properties, to: &self)
    }
}
