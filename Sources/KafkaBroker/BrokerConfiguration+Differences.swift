import Logging

extension BrokerConfiguration {
    /// The settings whose value differs from Samsa's default, by server.properties key, for the
    /// start-up log: what a reader of that log needs to know about this broker in one glance.
    public var settingsDifferingFromDefaults: [(key: String, value: String, defaultValue: String)] {
        let defaults = BrokerConfiguration()
        return Self.describedSettings.compactMap { key, describe in
            let value = describe(self)
            let defaultValue = describe(defaults)
            return value == defaultValue ? nil : (key, value, defaultValue)
        }
    }

    /// Every stored setting under its key, rendered as a properties value (a test checks that no
    /// stored property is missing).
    static let describedSettings: [(key: String, describe: @Sendable (BrokerConfiguration) -> String)] = [
        ("listeners", { $0.listener.description }),
        ("advertised.listeners", { $0.advertisedListener?.description ?? "(as listeners)" }),
        ("node.id", { "\($0.nodeId)" }),
        ("log.dirs", { $0.logDirectory }),
        ("num.partitions", { "\($0.numPartitions)" }),
        ("auto.create.topics.enable", { "\($0.autoCreateTopics)" }),
        ("delete.topic.enable", { "\($0.deleteTopicEnable)" }),
        ("log.retention.ms", { "\($0.logRetentionMs)" }),
        ("log.retention.bytes", { "\($0.logRetentionBytes)" }),
        ("log.segment.bytes", { "\($0.logSegmentBytes)" }),
        ("log.roll.ms", { "\($0.logRollMs)" }),
        ("log.index.interval.bytes", { "\($0.logIndexIntervalBytes)" }),
        ("log.flush.interval.messages", { "\($0.logFlushIntervalMessages)" }),
        ("log.flush.interval.ms", { $0.logFlushIntervalMs.map { "\($0)" } ?? "(never)" }),
        ("log.retention.check.interval.ms", { "\($0.logRetentionCheckIntervalMs)" }),
        ("log.cleanup.policy", { $0.logCleanupPolicy }),
        ("log.cleaner.delete.retention.ms", { "\($0.logCleanerDeleteRetentionMs)" }),
        ("message.max.bytes", { "\($0.messageMaxBytes)" }),
        ("socket.request.max.bytes", { "\($0.socketRequestMaxBytes)" }),
        ("fetch.max.bytes", { "\($0.fetchMaxBytes)" }),
        ("max.connections", { "\($0.maxConnections)" }),
        ("max.connections.per.ip", { "\($0.maxConnectionsPerIp)" }),
        ("max.connections.per.ip.overrides", { $0.maxConnectionsPerIpOverrides.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") }),
        ("connections.max.idle.ms", { "\($0.connectionsMaxIdleMs)" }),
        // No server.properties key: set by code that embeds the broker, so named by its property.
        ("queuedResponseMaxBytes", { "\($0.queuedResponseMaxBytes)" }),
        ("compression.type", { $0.compressionType }),
        ("default.replication.factor", { "\($0.defaultReplicationFactor)" }),
        ("min.insync.replicas", { "\($0.minInsyncReplicas)" }),
        ("offsets.topic.num.partitions", { "\($0.offsetsTopicNumPartitions)" }),
        ("offsets.topic.segment.bytes", { "\($0.offsetsTopicSegmentBytes)" }),
        ("offsets.retention.minutes", { "\($0.offsetsRetentionMinutes)" }),
        ("offsets.retention.check.interval.ms", { "\($0.offsetsRetentionCheckIntervalMs)" }),
        ("group.initial.rebalance.delay.ms", { "\($0.groupInitialRebalanceDelayMs)" }),
        ("group.min.session.timeout.ms", { "\($0.groupMinSessionTimeoutMs)" }),
        ("group.max.session.timeout.ms", { "\($0.groupMaxSessionTimeoutMs)" }),
        ("cluster.id", { $0.clusterId ?? "(from meta.properties, or new)" }),
        ("metrics.listener", { $0.metricsListener.map { "http://\($0.host):\($0.port)" } ?? "" }),
        ("log.level", { $0.logLevel.rawValue }),
    ]
}
