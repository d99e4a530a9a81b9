extension LogConfiguration {
    /// The topic-level keys this configuration understands (CreateTopics and AlterConfigs use them).
    public static let topicPropertyKeys: Set<String> = [
        "segment.bytes", "segment.ms", "retention.ms", "retention.bytes", "index.interval.bytes",
        "flush.messages", "flush.ms", "cleanup.policy", "delete.retention.ms", "min.compaction.lag.ms",
    ]

    /// This configuration with topic-level overrides applied. Keys outside `topicPropertyKeys` are
    /// ignored; a value that does not parse or is out of range throws, naming the key.
    public func applying(topicProperties: [String: String]) throws(LogConfigurationError) -> LogConfiguration {
        var configuration = self
        func integer(_ key: String, atLeast minimum: Int64) throws(LogConfigurationError) -> Int64? {
            guard let text = topicProperties[key] else { return nil }
            guard let value = Int64(text), value >= minimum else {
                throw LogConfigurationError(key: key, value: text, reason: "expected an integer of at least \(minimum)")
            }
            return value
        }
        if let value = try integer("segment.bytes", atLeast: 14) { configuration.segmentBytes = value }
        if let value = try integer("segment.ms", atLeast: 1) { configuration.segmentMs = value }
        if let value = try integer("retention.ms", atLeast: -1) { configuration.retentionMs = value }
        if let value = try integer("retention.bytes", atLeast: -1) { configuration.retentionBytes = value }
        if let value = try integer("index.interval.bytes", atLeast: 0) { configuration.indexIntervalBytes = Int(value) }
        if let value = try integer("flush.messages", atLeast: 1) { configuration.flushIntervalMessages = value }
        if let value = try integer("flush.ms", atLeast: 0) { configuration.flushIntervalMs = value }
        if let value = try integer("delete.retention.ms", atLeast: 0) { configuration.deleteRetentionMs = value }
        if let value = try integer("min.compaction.lag.ms", atLeast: 0) { configuration.minCompactionLagMs = value }
        if let text = topicProperties["cleanup.policy"] {
            guard let policy = CleanupPolicy(kafkaValue: text) else {
                throw LogConfigurationError(key: "cleanup.policy", value: text, reason: "expected delete, compact or both")
            }
            configuration.cleanupPolicy = policy
        }
        return configuration
    }
}
