import KafkaStorage

/// Kafka's topic-level settings: which exist, their broker-wide defaults, and their types as
/// DescribeConfigs reports them.
enum TopicConfigDefinitions {
    /// DescribeConfigs' `ConfigType`.
    enum ValueType: Int8 {
        case boolean = 1, string = 2, int = 3, short = 4, long = 5, double = 6, list = 7
    }

    struct Definition: Sendable {
        var name: String
        var type: ValueType
        /// The value when the topic does not override it, from the broker's settings.
        var defaultValue: @Sendable (BrokerConfiguration) -> String
    }

    static let definitions: [Definition] = [
        Definition(name: "cleanup.policy", type: .list) { $0.logCleanupPolicy },
        Definition(name: "compression.type", type: .string) { $0.compressionType },
        Definition(name: "delete.retention.ms", type: .long) { "\($0.logCleanerDeleteRetentionMs)" },
        Definition(name: "file.delete.delay.ms", type: .long) { _ in "60000" },
        Definition(name: "flush.messages", type: .long) { "\($0.logFlushIntervalMessages)" },
        Definition(name: "flush.ms", type: .long) { "\($0.logFlushIntervalMs ?? Int64.max)" },
        Definition(name: "index.interval.bytes", type: .int) { "\($0.logIndexIntervalBytes)" },
        Definition(name: "max.compaction.lag.ms", type: .long) { _ in "\(Int64.max)" },
        Definition(name: "max.message.bytes", type: .int) { "\($0.messageMaxBytes)" },
        Definition(name: "message.timestamp.type", type: .string) { _ in "CreateTime" },
        Definition(name: "min.cleanable.dirty.ratio", type: .double) { _ in "0.5" },
        Definition(name: "min.compaction.lag.ms", type: .long) { _ in "0" },
        Definition(name: "min.insync.replicas", type: .int) { "\($0.minInsyncReplicas)" },
        Definition(name: "preallocate", type: .boolean) { _ in "false" },
        Definition(name: "retention.bytes", type: .long) { "\($0.logRetentionBytes)" },
        Definition(name: "retention.ms", type: .long) { "\($0.logRetentionMs)" },
        Definition(name: "segment.bytes", type: .int) { "\($0.logSegmentBytes)" },
        Definition(name: "segment.index.bytes", type: .int) { _ in "10485760" },
        Definition(name: "segment.jitter.ms", type: .long) { _ in "0" },
        Definition(name: "segment.ms", type: .long) { "\($0.logRollMs)" },
        Definition(name: "unclean.leader.election.enable", type: .boolean) { _ in "false" },
    ]

    static func isKnown(_ name: String) -> Bool {
        definitions.contains { $0.name == name }
    }

    static func definition(_ name: String) -> Definition? {
        definitions.first { $0.name == name }
    }
}

extension BrokerConfiguration {
    /// The log settings a topic gets when it overrides nothing.
    var defaultLogConfiguration: LogConfiguration {
        LogConfiguration(
            segmentBytes: logSegmentBytes,
            segmentMs: logRollMs,
            retentionMs: logRetentionMs,
            retentionBytes: logRetentionBytes,
            indexIntervalBytes: Int(logIndexIntervalBytes),
            flushIntervalMessages: logFlushIntervalMessages,
            flushIntervalMs: logFlushIntervalMs ?? Int64.max,
            cleanupPolicy: LogConfiguration.CleanupPolicy(kafkaValue: logCleanupPolicy) ?? .delete,
            deleteRetentionMs: logCleanerDeleteRetentionMs
        )
    }
}
