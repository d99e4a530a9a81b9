import Logging

/// A setting that stops start-up: unknown to Kafka, or with a value Samsa cannot use.
public struct BrokerConfigurationError: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "Invalid broker setting '\(key)': \(message)" }
}

extension BrokerConfiguration {
    /// Builds a configuration from server.properties entries (later entries win).
    ///
    /// Keys Kafka defines but Samsa has no use for are accepted and reported through `warn`, so
    /// that Kafka's own sample server.properties starts; any other unknown key, or a value that
    /// does not parse, throws.
    public init(properties: [(key: String, value: String)], warn: (String) -> Void = { _ in }) throws {
        self.init()
        var values: [String: String] = [:]
        for (key, value) in properties { values[key] = value }
        for key in values.keys.sorted() where !Self.usedKeys.contains(key) {
            if Self.kafkaKeysWithoutEffect.contains(key) || key.hasPrefix("listener.name.") {
                warn("Ignoring Kafka setting '\(key)': it has no effect on Samsa (single broker, PLAINTEXT only)")
            } else {
                throw BrokerConfigurationError(key: key, message: "unknown setting")
            }
        }
        func int64(_ key: String) throws -> Int64? {
            guard let text = values[key] else { return nil }
            guard let value = Int64(text.trimmingWhitespace()) else {
                throw BrokerConfigurationError(key: key, message: "'\(text)' is not a whole number")
            }
            return value
        }
        func int32(_ key: String, atLeast minimum: Int64 = Int64(Int32.min)) throws -> Int32? {
            guard let value = try int64(key) else { return nil }
            guard value >= minimum, value <= Int64(Int32.max) else {
                throw BrokerConfigurationError(key: key, message: "\(value) is out of range (at least \(minimum))")
            }
            return Int32(value)
        }
        func bool(_ key: String) throws -> Bool? {
            guard let text = values[key] else { return nil }
            switch text.trimmingWhitespace().lowercased() {
            case "true": return true
            case "false": return false
            default: throw BrokerConfigurationError(key: key, message: "'\(text)' is not true or false")
            }
        }

        if let text = values["listeners"] {
            self.listener = try Self.plaintextListener(in: text, key: "listeners", securityMap: values["listener.security.protocol.map"])
        }
        if let text = values["advertised.listeners"] {
            self.advertisedListener = try Self.plaintextListener(
                in: text, key: "advertised.listeners", securityMap: values["listener.security.protocol.map"])
        }
        if let id = try int32("node.id", atLeast: 0) ?? int32("broker.id", atLeast: 0) { self.nodeId = id }
        if let directories = values["log.dirs"] ?? values["log.dir"] {
            guard let first = directories.split(separator: ",").first.map({ $0.trimmingWhitespace() }), !first.isEmpty else {
                throw BrokerConfigurationError(key: "log.dirs", message: "no folder given")
            }
            self.logDirectory = first
        }
        if let value = try int32("num.partitions", atLeast: 1) { self.numPartitions = value }
        if let value = try bool("auto.create.topics.enable") { self.autoCreateTopics = value }
        if let value = try bool("delete.topic.enable") { self.deleteTopicEnable = value }
        if let ms = try int64("log.retention.ms") {
            self.logRetentionMs = ms
        } else if let minutes = try int64("log.retention.minutes") {
            self.logRetentionMs = minutes < 0 ? -1 : minutes * 60_000
        } else if let hours = try int64("log.retention.hours") {
            self.logRetentionMs = hours < 0 ? -1 : hours * 3_600_000
        }
        if let value = try int64("log.retention.bytes") { self.logRetentionBytes = value }
        if let value = try int32("log.segment.bytes", atLeast: 14) { self.logSegmentBytes = Int64(value) }
        if let ms = try int64("log.roll.ms") {
            self.logRollMs = ms
        } else if let hours = try int64("log.roll.hours") {
            self.logRollMs = hours * 3_600_000
        }
        if let value = try int32("log.index.interval.bytes", atLeast: 0) { self.logIndexIntervalBytes = value }
        if let value = try int64("log.flush.interval.messages") {
            guard value >= 1 else { throw BrokerConfigurationError(key: "log.flush.interval.messages", message: "must be at least 1") }
            self.logFlushIntervalMessages = value
        }
        if let value = try int64("log.flush.interval.ms") { self.logFlushIntervalMs = value }
        if let value = try int64("log.retention.check.interval.ms") { self.logRetentionCheckIntervalMs = max(1, value) }
        if let policy = values["log.cleanup.policy"] {
            self.logCleanupPolicy = try Self.cleanupPolicy(policy, key: "log.cleanup.policy")
        }
        if let value = try int64("log.cleaner.delete.retention.ms") { self.logCleanerDeleteRetentionMs = value }
        if let value = try int32("message.max.bytes", atLeast: 0) { self.messageMaxBytes = value }
        if let value = try int32("socket.request.max.bytes", atLeast: 1) { self.socketRequestMaxBytes = value }
        if let value = try int32("fetch.max.bytes", atLeast: 1024) { self.fetchMaxBytes = value }
        if let value = try int32("max.connections", atLeast: 0) { self.maxConnections = value }
        if let value = try int32("max.connections.per.ip", atLeast: 0) { self.maxConnectionsPerIp = value }
        if let text = values["max.connections.per.ip.overrides"] {
            self.maxConnectionsPerIpOverrides = try Self.connectionOverrides(in: text)
        }
        if let value = try int64("connections.max.idle.ms") {
            guard value >= 1 else { throw BrokerConfigurationError(key: "connections.max.idle.ms", message: "must be at least 1") }
            self.connectionsMaxIdleMs = value
        }
        if let codec = values["compression.type"]?.trimmingWhitespace() {
            guard Self.compressionTypes.contains(codec) else {
                throw BrokerConfigurationError(
                    key: "compression.type", message: "'\(codec)' is not one of \(Self.compressionTypes.joined(separator: ", "))")
            }
            self.compressionType = codec
        }
        if let value = try int32("default.replication.factor", atLeast: 1) { self.defaultReplicationFactor = Int16(clamping: value) }
        if let value = try int32("min.insync.replicas", atLeast: 1) { self.minInsyncReplicas = value }
        if let value = try int32("offsets.topic.num.partitions", atLeast: 1) { self.offsetsTopicNumPartitions = value }
        if let value = try int32("offsets.topic.segment.bytes", atLeast: 14) { self.offsetsTopicSegmentBytes = value }
        if let value = try int64("offsets.retention.minutes") { self.offsetsRetentionMinutes = value }
        if let value = try int64("offsets.retention.check.interval.ms") { self.offsetsRetentionCheckIntervalMs = max(1, value) }
        if let value = try int32("group.initial.rebalance.delay.ms", atLeast: 0) { self.groupInitialRebalanceDelayMs = value }
        if let value = try int32("group.min.session.timeout.ms", atLeast: 0) { self.groupMinSessionTimeoutMs = value }
        if let value = try int32("group.max.session.timeout.ms", atLeast: 0) { self.groupMaxSessionTimeoutMs = value }
        if let value = values["cluster.id"] { self.clusterId = value }
        if let text = values["metrics.listener"] {
            self.metricsListener = try Self.httpListener(text.trimmingWhitespace(), key: "metrics.listener")
        }
        if let text = values["log.level"] {
            self.logLevel = try Self.parseLogLevel(text.trimmingWhitespace(), key: "log.level")
        }
    }

    /// Parses Java properties text: `key=value`, `key: value` or `key value` lines, `#`/`!`
    /// comments, and lines continued with a trailing backslash.
    public static func parseProperties(_ text: String) -> [(key: String, value: String)] {
        var entries: [(key: String, value: String)] = []
        var pending = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = pending + rawLine.trimmingWhitespace()
            pending = ""
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
                line.removeLast()
                pending = line
                continue
            }
            let separator = line.firstIndex { $0 == "=" || $0 == ":" || $0 == " " || $0 == "\t" }
            guard let separator else {
                entries.append((line, ""))
                continue
            }
            let key = String(line[..<separator]).trimmingWhitespace()
            var value = line[line.index(after: separator)...].drop { $0 == " " || $0 == "\t" }
            if line[separator] == " " || line[separator] == "\t", let first = value.first, first == "=" || first == ":" {
                value = value.dropFirst().drop { $0 == " " || $0 == "\t" }
            }
            entries.append((key, String(value)))
        }
        return entries
    }

    static func cleanupPolicy(_ text: String, key: String) throws -> String {
        let policies = text.split(separator: ",").map { $0.trimmingWhitespace() }
        guard !policies.isEmpty, policies.allSatisfy({ $0 == "delete" || $0 == "compact" }) else {
            throw BrokerConfigurationError(key: key, message: "'\(text)' is not delete, compact or both")
        }
        return policies.joined(separator: ",")
    }

    /// Parses `max.connections.per.ip.overrides`: `host:count` pairs separated by commas (the
    /// last colon separates, so IPv6 addresses work).
    static func connectionOverrides(in text: String) throws -> [String: Int32] {
        var overrides: [String: Int32] = [:]
        for entry in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !entry.isEmpty {
            guard let colon = entry.lastIndex(of: ":"), colon != entry.startIndex,
                let count = Int32(entry[entry.index(after: colon)...]), count >= 0
            else {
                throw BrokerConfigurationError(key: "max.connections.per.ip.overrides", message: "'\(entry)' is not of the form host:count")
            }
            overrides[String(entry[..<colon])] = count
        }
        return overrides
    }

    /// An `http://host:port` address; nil for an empty value. An empty host means "localhost".
    static func httpListener(_ text: String, key: String) throws -> Listener? {
        guard !text.isEmpty else { return nil }
        guard text.lowercased().hasPrefix("http://") else {
            throw BrokerConfigurationError(key: key, message: "'\(text)' is not of the form http://host:port (or empty to turn it off)")
        }
        var address = text.dropFirst("http://".count)
        if address.hasSuffix("/") { address = address.dropLast() }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw BrokerConfigurationError(key: key, message: "'\(text)' has no valid port")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return Listener(host: host.isEmpty ? "localhost" : host, port: port)
    }

    /// swift-log's level names, and log4j's WARN and FATAL as Kafka's log4j.properties spell them.
    static func parseLogLevel(_ text: String, key: String) throws -> Logger.Level {
        switch text.lowercased() {
        case "warn": return .warning
        case "fatal": return .critical
        case let name:
            guard let level = Logger.Level(rawValue: name) else {
                let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw BrokerConfigurationError(key: key, message: "'\(text)' is not one of \(names)")
            }
            return level
        }
    }

    static let compressionTypes = ["producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"]

    /// Picks the PLAINTEXT listener out of a `listeners`-style list such as
    /// `PLAINTEXT://:9092,CONTROLLER://:9093`. An empty host means "localhost" here.
    static func plaintextListener(in text: String, key: String, securityMap: String?) throws -> Listener {
        var protocols = ["PLAINTEXT": "PLAINTEXT"]
        for pair in (securityMap ?? "").split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingWhitespace() }
            if parts.count == 2 { protocols[parts[0].uppercased()] = parts[1].uppercased() }
        }
        for entry in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !entry.isEmpty {
            let parts = entry.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw BrokerConfigurationError(key: key, message: "'\(entry)' is not of the form NAME://host:port")
            }
            let name = parts[0].uppercased()
            guard protocols[name] == "PLAINTEXT" else { continue }
            let address = parts[1]
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
                (0...65535).contains(port)
            else {
                throw BrokerConfigurationError(key: key, message: "'\(entry)' has no valid port")
            }
            var host = String(address[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return Listener(host: host.isEmpty ? "localhost" : host, port: port)
        }
        throw BrokerConfigurationError(key: key, message: "no PLAINTEXT listener in '\(text)' (Samsa speaks PLAINTEXT only)")
    }

    static let usedKeys: Set<String> = [
        "listeners", "advertised.listeners", "listener.security.protocol.map", "node.id", "broker.id", "log.dirs", "log.dir",
        "num.partitions", "auto.create.topics.enable", "delete.topic.enable", "log.retention.ms", "log.retention.minutes",
        "log.retention.hours", "log.retention.bytes", "log.segment.bytes", "log.roll.ms", "log.roll.hours",
        "log.index.interval.bytes", "log.flush.interval.messages", "log.flush.interval.ms", "log.retention.check.interval.ms",
        "log.cleanup.policy", "log.cleaner.delete.retention.ms", "message.max.bytes", "socket.request.max.bytes",
        "fetch.max.bytes", "max.connections", "max.connections.per.ip", "max.connections.per.ip.overrides",
        "connections.max.idle.ms",
        "compression.type", "default.replication.factor", "min.insync.replicas", "offsets.topic.num.partitions",
        "offsets.topic.segment.bytes", "offsets.retention.minutes", "offsets.retention.check.interval.ms", "group.initial.rebalance.delay.ms", "group.min.session.timeout.ms",
        "group.max.session.timeout.ms", "cluster.id", "metrics.listener", "log.level",
    ]

    /// Kafka broker settings that mean nothing for a single-process PLAINTEXT broker (replication,
    /// KRaft quorum, thread pools, ZooKeeper, security, quotas, transactions).
    static let kafkaKeysWithoutEffect: Set<String> = [
        "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "controller.listener.names",
        "inter.broker.listener.name", "security.inter.broker.protocol", "num.network.threads", "num.io.threads",
        "num.replica.fetchers", "num.recovery.threads.per.data.dir", "socket.send.buffer.bytes",
        "socket.receive.buffer.bytes", "socket.listen.backlog.size", "offsets.topic.replication.factor",
        "offsets.load.buffer.size", "offsets.commit.timeout.ms", "offsets.topic.compression.codec",
        "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
        "transaction.state.log.num.partitions", "transaction.state.log.segment.bytes",
        "transactional.id.expiration.ms", "transaction.max.timeout.ms",
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
        "log.index.size.max.bytes", "log.preallocate", "log.message.timestamp.type",
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

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and form feeds.
    func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
