import KafkaProperties
import KafkaRecords
import KafkaStorage
import Logging

extension BrokerConfiguration {
    /// Every broker setting, in the order they are applied (a setting may read one declared
    /// before it, as `listeners` reads `listener.security.protocol.map`) and listed in the
    /// start-up log, DescribeConfigs and the README. A test checks that every stored property of
    /// `BrokerConfiguration` has its declaration here.
    static let settings: [BrokerSetting] = [
        BrokerSetting(
            "listener.security.protocol.map", \.listenerSecurityProtocolMap, type: .string,
            documentation: "Listener names and their security protocols; only the PLAINTEXT ones are served.",
            parse: { text, _ throws(SettingValueError) in try securityProtocolMap(text) },
            render: { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }),
        BrokerSetting(
            "listeners", \.listener, type: .string,
            differenceFromKafka: .init(
                kafkaDefault: "PLAINTEXT://:9092",
                reason: "Kafka's empty host means every interface; Samsa listens on localhost unless told otherwise."),
            documentation: "Where the broker accepts connections: the PLAINTEXT entry of the list is used (an empty host means localhost).",
            parse: { text, configuration throws(SettingValueError) in
                try plaintextListener(in: text, protocols: configuration.listenerSecurityProtocolMap)
            },
            render: { $0.description }),
        BrokerSetting(
            "advertised.listeners", \.advertisedListener, type: .string, unsetDescription: "(as listeners)",
            documentation: "The address clients are told to connect to (Metadata, FindCoordinator).",
            parse: { text, configuration throws(SettingValueError) in
                try plaintextListener(in: text, protocols: configuration.listenerSecurityProtocolMap)
            },
            render: { $0?.description }),
        .integer(
            "node.id", \.nodeId, in: 0...Int64(Int32.max), aliases: [.init(key: "broker.id")],
            documentation: "This broker's id; a data folder written by another id is refused."),
        BrokerSetting(
            "log.dirs", \.logDirectory, type: .string, aliases: [.init(key: "log.dir")],
            differenceFromKafka: .init(
                kafkaDefault: "/tmp/kafka-logs",
                reason: "data stays next to where the broker was started, not in a folder the system empties."),
            documentation: "The data folder; of a comma-separated list, the first is used.",
            parse: { text, _ throws(SettingValueError) in
                guard let first = text.split(separator: ",").first.map({ $0.trimmingWhitespace() }), !first.isEmpty else {
                    throw SettingValueError(message: "no folder given")
                }
                return first
            },
            render: { $0 }),
        .integer(
            "num.partitions", \.numPartitions, in: 1...Int64(Int32.max),
            documentation: "Partitions of auto-created topics and of CreateTopics with -1."),
        .boolean("auto.create.topics.enable", \.autoCreateTopics, documentation: "Metadata requests for an unknown topic create it."),
        .boolean("delete.topic.enable", \.deleteTopicEnable, documentation: "DeleteTopics is allowed."),
        .integer(
            "log.retention.ms", \.logRetentionMs, in: -1...Int64.max,
            aliases: [.init(key: "log.retention.minutes", multiplier: 60_000), .init(key: "log.retention.hours", multiplier: 3_600_000)],
            documentation: "Closed segments whose newest record is older than this are deleted; -1 keeps data forever."),
        .integer(
            "log.retention.bytes", \.logRetentionBytes, in: -1...Int64.max,
            documentation: "The oldest closed segments of a partition are deleted while it is larger than this; -1 means no limit."),
        .integer(
            "log.segment.bytes", \.logSegmentBytes, in: 14...Int64(Int32.max), type: .int,
            documentation: "A segment is rolled before it would grow past this."),
        .integer(
            "log.roll.ms", \.logRollMs, in: 1...Int64.max, aliases: [.init(key: "log.roll.hours", multiplier: 3_600_000)],
            documentation: "A segment whose first record is older than this is rolled on the next append."),
        .integer(
            "log.index.interval.bytes", \.logIndexIntervalBytes, in: 0...Int64(Int32.max),
            documentation: "Bytes of log between two entries of the sparse offset and time indexes."),
        .integer(
            "log.flush.interval.messages", \.logFlushIntervalMessages, in: 1...Int64.max,
            documentation: "fsync once this many records are unflushed (acks=all always waits for an fsync)."),
        BrokerSetting(
            "log.flush.interval.ms", \.logFlushIntervalMs, type: .long, unsetDescription: "(never)",
            documentation: "fsync when the oldest unflushed append is this old.",
            parse: { text, _ throws(SettingValueError) in try BrokerSetting.wholeNumber(text, in: 0...Int64.max) },
            render: { $0.map { "\($0)" } }),
        .integer(
            "log.retention.check.interval.ms", \.logRetentionCheckIntervalMs, in: 1...Int64.max,
            documentation: "How often retention and compaction run."),
        BrokerSetting(
            "log.cleanup.policy", \.logCleanupPolicy, type: .list,
            documentation: "Topics' default cleanup policy: delete, compact or both (delete,compact).",
            parse: { text, _ throws(SettingValueError) in try cleanupPolicy(text) }, render: { $0.description }),
        .integer(
            "log.cleaner.delete.retention.ms", \.logCleanerDeleteRetentionMs, in: 0...Int64.max,
            documentation: "How long compaction keeps tombstones."),
        .choice(
            "log.message.timestamp.type", \.logMessageTimestampType, timestampTypes,
            documentation:
                "Topics' default `message.timestamp.type`: keep the producer's timestamps, or stamp each batch with the time it is appended."
        ),
        .integer(
            "message.max.bytes", \.messageMaxBytes, in: 0...Int64(Int32.max), documentation: "The largest record batch the broker accepts."),
        .integer(
            "socket.request.max.bytes", \.socketRequestMaxBytes, in: 1...Int64(Int32.max),
            documentation: "The largest request frame; a larger one closes the connection as soon as its size arrives."),
        .integer(
            "fetch.max.bytes", \.fetchMaxBytes, in: 1024...Int64(Int32.max),
            documentation: "The most record bytes one Fetch response carries, whatever the request asks (at least one batch)."),
        .integer(
            "max.connections", \.maxConnections, in: 0...Int64(Int32.max),
            documentation: "Open client connections at most; one beyond it is closed at once."),
        .integer(
            "max.connections.per.ip", \.maxConnectionsPerIp, in: 0...Int64(Int32.max),
            documentation: "Open client connections from one address at most."),
        BrokerSetting(
            "max.connections.per.ip.overrides", \.maxConnectionsPerIpOverrides, type: .string,
            documentation: "`host:count` pairs, comma-separated, that replace the per-address limit.",
            parse: { text, _ throws(SettingValueError) in try connectionOverrides(in: text) },
            render: { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }),
        .integer(
            "connections.max.idle.ms", \.connectionsMaxIdleMs, in: 1...Int64.max,
            documentation: "A connection that completes no request and has no response written for this long is closed."),
        .embeddingOnly(
            "queuedResponseMaxBytes", \.queuedResponseMaxBytes, type: .int,
            documentation: "Unwritten responses of a connection above this stop the broker reading its requests until the client reads."),
        .choice(
            "compression.type", \.compressionType, compressionTypes,
            documentation: "Topics' default codec: producer keeps batches as sent; a codec re-encodes them on append."),
        .integer(
            "default.replication.factor", \.defaultReplicationFactor, in: 1...Int64(Int16.max), type: .int,
            documentation: "Replication factor of auto-created topics; only 1 can be met."),
        .integer(
            "min.insync.replicas", \.minInsyncReplicas, in: 1...Int64(Int32.max),
            documentation: "Above 1, acks=all gets NOT_ENOUGH_REPLICAS on a single broker."),
        .integer(
            "offsets.topic.num.partitions", \.offsetsTopicNumPartitions, in: 1...Int64(Int32.max),
            documentation: "Partitions of `__consumer_offsets`, created at first start."),
        .integer(
            "offsets.topic.segment.bytes", \.offsetsTopicSegmentBytes, in: 14...Int64(Int32.max),
            documentation: "Segment size of `__consumer_offsets`: small, because compaction works on closed segments."),
        .integer(
            "offsets.retention.minutes", \.offsetsRetentionMinutes, in: 0...Int64.max,
            documentation: "Committed offsets of a group without members expire after this."),
        .integer(
            "offsets.retention.check.interval.ms", \.offsetsRetentionCheckIntervalMs, in: 1...Int64.max,
            documentation: "How often expired offsets are removed."),
        .integer(
            "transaction.state.log.num.partitions", \.transactionStateLogNumPartitions, in: 1...Int64(Int32.max),
            documentation: "Partitions of `__transaction_state`, created when the first transactional client looks for its coordinator."),
        .integer(
            "transaction.state.log.segment.bytes", \.transactionStateLogSegmentBytes, in: 14...Int64(Int32.max),
            documentation: "Segment size of `__transaction_state`."),
        .integer(
            "transaction.max.timeout.ms", \.transactionMaxTimeoutMs, in: 1...Int64(Int32.max),
            documentation: "A producer asking for a longer `transaction.timeout.ms` gets INVALID_TRANSACTION_TIMEOUT."),
        .integer(
            "transactional.id.expiration.ms", \.transactionalIdExpirationMs, in: 1...Int64(Int32.max),
            documentation: "A transactional id without an open transaction is forgotten after this long."),
        .integer(
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", \.transactionAbortTimedOutTransactionCleanupIntervalMs,
            in: 1...Int64(Int32.max),
            documentation: "How often transactions past their timeout are aborted (their producer fenced)."),
        .integer(
            "group.initial.rebalance.delay.ms", \.groupInitialRebalanceDelayMs, in: 0...Int64(Int32.max),
            differenceFromKafka: .init(
                kafkaDefault: "3000", reason: "as in the server.properties Kafka ships, so that a lone consumer joins at once."),
            documentation: "How long the first join of an empty group waits for more members."),
        .integer(
            "group.min.session.timeout.ms", \.groupMinSessionTimeoutMs, in: 0...Int64(Int32.max),
            documentation: "The shortest session timeout a member may ask for."),
        .integer(
            "group.max.session.timeout.ms", \.groupMaxSessionTimeoutMs, in: 0...Int64(Int32.max),
            documentation: "The longest session timeout a member may ask for."),
        BrokerSetting(
            "cluster.id", \.clusterId, type: .string, unsetDescription: "(from meta.properties, or new)",
            documentation: "The cluster id for a new data folder; normally read from meta.properties or generated on first start.",
            parse: { text, _ in text },
            render: { $0 }),
        BrokerSetting(
            "metrics.listener", \.metricsListener, type: .string, origin: .samsa,
            documentation: "Where Prometheus metrics and the web console are served (`http://host:port`); empty turns both off.",
            parse: { text, _ throws(SettingValueError) in try httpListener(text.trimmingWhitespace()) },
            render: { $0.map { "http://\($0.host):\($0.port)" } ?? "" }),
        BrokerSetting(
            "log.level", \.logLevel, type: .string, origin: .samsa,
            documentation: "The least severe level logged: trace, debug, info, notice, warning (WARN), error, critical (FATAL).",
            parse: { text, _ throws(SettingValueError) in try parseLogLevel(text.trimmingWhitespace()) },
            render: { $0.rawValue }),
    ]

    /// `compression.type`'s values, for the broker and for topics; `producer` keeps batches as sent.
    static let compressionTypes: KeyValuePairs<String, CompressionCodec?> = [
        "producer": nil, "uncompressed": CompressionCodec.none, "gzip": .gzip, "snappy": .snappy, "lz4": .lz4, "zstd": .zstd,
    ]

    /// `message.timestamp.type`'s values, for the broker and for topics.
    static let timestampTypes: KeyValuePairs<String, TimestampType> = ["CreateTime": .createTime, "LogAppendTime": .logAppendTime]

    /// `cleanup.policy`'s values, for the broker and for topics.
    static func cleanupPolicy(_ text: String) throws(SettingValueError) -> LogConfiguration.CleanupPolicy {
        guard let policy = LogConfiguration.CleanupPolicy(kafkaValue: text) else {
            throw SettingValueError(message: "'\(text)' is not delete, compact or both")
        }
        return policy
    }

    /// Kafka broker settings that mean nothing for a single-process PLAINTEXT broker (replication,
    /// KRaft quorum, thread pools, ZooKeeper, security, quotas, transactions): accepted with a
    /// warning, so that Kafka's own server.properties starts. So are `listener.name.*` keys.
    static let kafkaKeysWithoutEffect: Set<String> = [
        "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "controller.listener.names",
        "inter.broker.listener.name", "security.inter.broker.protocol", "num.network.threads", "num.io.threads",
        "num.replica.fetchers", "num.recovery.threads.per.data.dir", "socket.send.buffer.bytes",
        "socket.receive.buffer.bytes", "socket.listen.backlog.size", "offsets.topic.replication.factor",
        "offsets.load.buffer.size", "offsets.commit.timeout.ms", "offsets.topic.compression.codec",
        "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
        "zookeeper.connect", "zookeeper.connection.timeout.ms", "zookeeper.session.timeout.ms",
        "zookeeper.set.acl", "zookeeper.metadata.migration.enable", "metadata.log.dir", "metadata.log.segment.bytes",
        "metadata.log.max.record.bytes.between.snapshots", "metadata.max.retention.bytes", "metadata.max.retention.ms",
        "replica.lag.time.max.ms", "replica.fetch.max.bytes", "replica.fetch.wait.max.ms", "replica.socket.timeout.ms",
        "replica.high.watermark.checkpoint.interval.ms", "unclean.leader.election.enable",
        "auto.leader.rebalance.enable", "leader.imbalance.check.interval.seconds",
        "leader.imbalance.per.broker.percentage", "controlled.shutdown.enable", "controlled.shutdown.max.retries",
        "background.threads", "queued.max.requests", "request.timeout.ms", "max.connection.creation.rate",
        "log.cleaner.enable", "log.cleaner.threads", "log.cleaner.dedupe.buffer.size", "log.cleaner.io.buffer.size",
        "log.cleaner.min.cleanable.ratio", "log.cleaner.min.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms",
        "log.cleaner.backoff.ms", "log.segment.delete.delay.ms", "log.flush.scheduler.interval.ms",
        "log.flush.offset.checkpoint.interval.ms", "log.flush.start.offset.checkpoint.interval.ms",
        "log.index.size.max.bytes", "log.preallocate",
        "log.message.timestamp.difference.max.ms", "log.message.timestamp.before.max.ms",
        "log.message.timestamp.after.max.ms", "log.message.format.version", "log.message.downconversion.enable",
        "log.local.retention.ms", "log.local.retention.bytes", "inter.broker.protocol.version", "broker.rack",
        "reserved.broker.max.id", "broker.id.generation.enable", "quota.window.num", "quota.window.size.seconds",
        "replica.selector.class", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
        "ssl.truststore.location", "ssl.truststore.password", "ssl.client.auth", "ssl.endpoint.identification.algorithm",
        "sasl.enabled.mechanisms", "sasl.mechanism.inter.broker.protocol", "sasl.mechanism.controller.protocol",
        "authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found", "group.max.size",
        "group.coordinator.rebalance.protocols", "group.consumer.heartbeat.interval.ms",
        "group.consumer.session.timeout.ms", "metric.reporters", "metrics.num.samples", "metrics.sample.window.ms",
        "metrics.recording.level", "kafka.metrics.reporters", "kafka.metrics.polling.interval.secs",
        "remote.log.storage.system.enable", "fetch.purgatory.purge.interval.requests",
        "producer.purgatory.purge.interval.requests", "delete.records.purgatory.purge.interval.requests",
        "num.replica.alter.log.dirs.threads", "create.topic.policy.class.name", "alter.config.policy.class.name",
        "principal.builder.class", "password.encoder.secret", "initial.broker.registration.timeout.ms",
        "broker.heartbeat.interval.ms", "broker.session.timeout.ms", "eligible.leader.replicas.enable",
        "producer.id.expiration.ms", "max.incremental.fetch.session.cache.slots", "unstable.api.versions.enable",
        "unstable.feature.versions.enable", "early.start.listeners", "node.id.generation.enable",
    ]
}
