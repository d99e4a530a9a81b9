import KafkaProtocol
import KafkaRecords
import KafkaStorage

/// A topic's settings as typed values: the broker's defaults with the topic's overrides applied.
/// Resolved when a topic is created, altered or loaded at start-up, so that appends and retention
/// read typed values instead of parsing text on every request.
struct TopicSettings: Sendable, Equatable {
    /// What the partition logs use: segments, retention, flushing, cleanup.
    var log: LogConfiguration
    var maxMessageBytes: Int
    var minInsyncReplicas: Int32
    /// nil keeps batches as the producer compressed them.
    var compressionType: CompressionCodec?
    var messageTimestampType: TimestampType
    /// `message.timestamp.difference.max.ms`, deprecated: bounds each side whose own setting keeps
    /// its default.
    var messageTimestampDifferenceMaxMs: Int64
    /// `message.timestamp.before.max.ms`.
    var messageTimestampBeforeMaxMs: Int64
    /// `message.timestamp.after.max.ms`.
    var messageTimestampAfterMaxMs: Int64

    /// The settings of a topic that overrides nothing.
    init(defaults configuration: BrokerConfiguration) {
        log = LogConfiguration(
            segmentBytes: configuration.logSegmentBytes,
            segmentMs: configuration.logRollMs,
            retentionMs: configuration.logRetentionMs,
            retentionBytes: configuration.logRetentionBytes,
            indexIntervalBytes: Int(configuration.logIndexIntervalBytes),
            flushIntervalMessages: configuration.logFlushIntervalMessages,
            flushIntervalMs: configuration.logFlushIntervalMs ?? Int64.max,
            cleanupPolicy: configuration.logCleanupPolicy,
            deleteRetentionMs: configuration.logCleanerDeleteRetentionMs,
            minCompactionLagMs: configuration.logCleanerMinCompactionLagMs,
            maxCompactionLagMs: configuration.logCleanerMaxCompactionLagMs,
            minCleanableDirtyRatio: configuration.logCleanerMinCleanableRatio)
        maxMessageBytes = Int(configuration.messageMaxBytes)
        minInsyncReplicas = configuration.minInsyncReplicas
        compressionType = configuration.compressionType
        messageTimestampType = configuration.logMessageTimestampType
        messageTimestampDifferenceMaxMs = configuration.logMessageTimestampDifferenceMaxMs
        // As Kafka's KafkaConfig, a topic's defaults are the broker's bounds after the fallback.
        messageTimestampBeforeMaxMs = Self.timestampBound(
            configuration.logMessageTimestampBeforeMaxMs, fallingBackTo: configuration.logMessageTimestampDifferenceMaxMs)
        messageTimestampAfterMaxMs = Self.timestampBound(
            configuration.logMessageTimestampAfterMaxMs, fallingBackTo: configuration.logMessageTimestampDifferenceMaxMs)
    }

    /// Kafka's precedence since 3.6 (KIP-937): `before`/`after.max.ms` count once set away from
    /// their default, Long.MAX; until then the older `difference.max.ms` bounds that side.
    static func timestampBound(_ bound: Int64, fallingBackTo difference: Int64) -> Int64 {
        bound != Int64.max ? bound : difference
    }

    /// The CreateTime timestamps a record may carry when appended at `nowMs`; nil when every
    /// timestamp is, which spares reading the records. LogAppendTime topics check none.
    func acceptedTimestamps(at nowMs: Int64) -> ClosedRange<Int64>? {
        guard messageTimestampType == .createTime else { return nil }
        let before = Self.timestampBound(messageTimestampBeforeMaxMs, fallingBackTo: messageTimestampDifferenceMaxMs)
        let after = Self.timestampBound(messageTimestampAfterMaxMs, fallingBackTo: messageTimestampDifferenceMaxMs)
        guard before != Int64.max || after != Int64.max else { return nil }
        let (earliest, earliestOverflow) = nowMs.subtractingReportingOverflow(before)
        let (latest, latestOverflow) = nowMs.addingReportingOverflow(after)
        return (earliestOverflow ? Int64.min : earliest)...(latestOverflow ? Int64.max : latest)
    }

    /// The broker's defaults with `overrides` applied; an unknown key or a bad value is Kafka's
    /// INVALID_CONFIG, naming the key.
    init(overrides: [String: String], defaults configuration: BrokerConfiguration) throws(TopicError) {
        self.init(defaults: configuration)
        for key in overrides.keys.sorted() where Self.definitionsByName[key] == nil {
            throw TopicError(.invalidConfig, "Unknown topic config name: \(key)")
        }
        for definition in Self.definitions {
            guard let text = overrides[definition.key] else { continue }
            do {
                try definition.apply(&self, text)
            } catch {
                throw TopicError(.invalidConfig, "Invalid value \(text) for configuration \(definition.key): \(error.message)")
            }
        }
    }

    /// Every topic-level setting Kafka 3.9 accepts (its `LogConfig`), with the broker setting that
    /// supplies each default named in its documentation. Those that mean nothing for one broker
    /// without tiered storage are accepted, checked against their type and reported by
    /// DescribeConfigs, as Kafka 3.x accepts its deprecated ones.
    static let definitions: [Setting<TopicSettings>] = [
        Setting(
            "cleanup.policy", \.log.cleanupPolicy, type: .list, documentation: "Default: log.cleanup.policy.",
            parse: { text, _ throws(SettingValueError) in try BrokerConfiguration.cleanupPolicy(text) }, render: { $0.description }),
        .withoutEffect("compression.gzip.level", type: .int, default: "-1"),
        .withoutEffect("compression.lz4.level", type: .int, default: "9"),
        .choice(
            "compression.type", \.compressionType, BrokerConfiguration.compressionTypes, documentation: "Default: compression.type."),
        .withoutEffect("compression.zstd.level", type: .int, default: "3"),
        .integer(
            "delete.retention.ms", \.log.deleteRetentionMs, in: 0...Int64.max, documentation: "Default: log.cleaner.delete.retention.ms."),
        .withoutEffect("file.delete.delay.ms", type: .long, default: "60000"),
        .integer("flush.messages", \.log.flushIntervalMessages, in: 1...Int64.max, documentation: "Default: log.flush.interval.messages."),
        .integer("flush.ms", \.log.flushIntervalMs, in: 0...Int64.max, documentation: "Default: log.flush.interval.ms."),
        .withoutEffect("follower.replication.throttled.replicas", type: .list, default: ""),
        .integer(
            "index.interval.bytes", \.log.indexIntervalBytes, in: 0...Int64(Int32.max), type: .int,
            documentation: "Default: log.index.interval.bytes."),
        .withoutEffect("leader.replication.throttled.replicas", type: .list, default: ""),
        .withoutEffect("local.retention.bytes", type: .long, default: "-2"),
        .withoutEffect("local.retention.ms", type: .long, default: "-2"),
        .integer(
            "max.compaction.lag.ms", \.log.maxCompactionLagMs, in: 1...Int64.max,
            documentation: "Default: log.cleaner.max.compaction.lag.ms."),
        .integer(
            "max.message.bytes", \.maxMessageBytes, in: 0...Int64(Int32.max), type: .int, documentation: "Default: message.max.bytes."),
        .withoutEffect("message.downconversion.enable", type: .boolean, default: "true"),
        .withoutEffect("message.format.version", type: .string, default: "3.0-IV1"),
        .integer(
            "message.timestamp.after.max.ms", \.messageTimestampAfterMaxMs, in: 0...Int64.max,
            documentation: "Default: log.message.timestamp.after.max.ms."),
        .integer(
            "message.timestamp.before.max.ms", \.messageTimestampBeforeMaxMs, in: 0...Int64.max,
            documentation: "Default: log.message.timestamp.before.max.ms."),
        .integer(
            "message.timestamp.difference.max.ms", \.messageTimestampDifferenceMaxMs, in: 0...Int64.max,
            documentation: "Default: log.message.timestamp.difference.max.ms."),
        .choice(
            "message.timestamp.type", \.messageTimestampType, BrokerConfiguration.timestampTypes,
            documentation: "Default: log.message.timestamp.type."),
        .decimal(
            "min.cleanable.dirty.ratio", \.log.minCleanableDirtyRatio, in: 0...1, documentation: "Default: log.cleaner.min.cleanable.ratio."
        ),
        .integer(
            "min.compaction.lag.ms", \.log.minCompactionLagMs, in: 0...Int64.max,
            documentation: "Default: log.cleaner.min.compaction.lag.ms."),
        .integer("min.insync.replicas", \.minInsyncReplicas, in: 1...Int64(Int32.max), documentation: "Default: min.insync.replicas."),
        .withoutEffect("preallocate", type: .boolean, default: "false"),
        .withoutEffect("remote.log.copy.disable", type: .boolean, default: "false"),
        .withoutEffect("remote.log.delete.on.disable", type: .boolean, default: "false"),
        .withoutEffect("remote.storage.enable", type: .boolean, default: "false"),
        .integer("retention.bytes", \.log.retentionBytes, in: -1...Int64.max, documentation: "Default: log.retention.bytes."),
        .integer("retention.ms", \.log.retentionMs, in: -1...Int64.max, documentation: "Default: log.retention.ms."),
        .integer("segment.bytes", \.log.segmentBytes, in: 14...Int64(Int32.max), type: .int, documentation: "Default: log.segment.bytes."),
        .withoutEffect("segment.index.bytes", type: .int, default: "10485760"),
        .withoutEffect("segment.jitter.ms", type: .long, default: "0"),
        .integer("segment.ms", \.log.segmentMs, in: 1...Int64.max, documentation: "Default: log.roll.ms."),
        .withoutEffect("unclean.leader.election.enable", type: .boolean, default: "false"),
    ]

    static let definitionsByName: [String: Setting<TopicSettings>] = Dictionary(
        uniqueKeysWithValues: definitions.map { ($0.key, $0) })
}
