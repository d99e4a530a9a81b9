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
            documentation:
                "Listener names and their security protocols (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), e.g. `INTERNAL:SASL_PLAINTEXT`.",
            parse: { text, _ throws(SettingValueError) in try securityProtocolMap(text) },
            render: { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.rawValue)" }.joined(separator: ",") }),
        BrokerSetting(
            "controller.listener.names", \.controllerListenerNames, type: .list,
            documentation: "Kafka's KRaft controller listeners: Samsa has no controller, and leaves these entries of `listeners` unbound.",
            parse: { text, _ in list(text).map { $0.uppercased() } },
            render: { $0.joined(separator: ",") }),
        BrokerSetting(
            "listeners", \.listeners, type: .list,
            differenceFromKafka: .init(
                kafkaDefault: "PLAINTEXT://:9092",
                reason: "Kafka's empty host means every interface; Samsa listens on localhost unless told otherwise."),
            documentation:
                "Where the broker accepts connections, `NAME://host:port` comma-separated; each name's protocol comes from `listener.security.protocol.map`. An empty host means localhost, which binds both 127.0.0.1 and ::1; 0.0.0.0 binds every interface.",
            parse: { text, configuration throws(SettingValueError) in try boundListeners(in: text, configuration: configuration) },
            render: { render($0) }),
        BrokerSetting(
            "advertised.listeners", \.advertisedListeners, type: .list, unsetDescription: "(as listeners)",
            documentation:
                "The addresses clients are told to connect to (Metadata, FindCoordinator, DescribeCluster), matched to `listeners` by name: a client learns the address of the listener it came in on.",
            parse: { text, configuration throws(SettingValueError) in try advertisedListeners(in: text, configuration: configuration) },
            render: { $0.isEmpty ? nil : render($0) }),
        .choice(
            "ssl.keystore.type", \.sslKeystoreType, ["PEM": .pem, "PKCS12": .pkcs12],
            differenceFromKafka: .init(kafkaDefault: "JKS", reason: "JKS is Java's own format; Samsa reads PEM and PKCS12."),
            documentation: "The format of the broker's certificate and private key for SSL and SASL_SSL listeners."),
        BrokerSetting(
            "ssl.keystore.location", \.sslKeystoreLocation, type: .string, unsetDescription: "(none)",
            documentation:
                "The keystore file: with PEM, the private key and the certificate chain in one file; with PKCS12, a .p12 bundle. Re-read on SIGHUP for new connections.",
            parse: { text, _ in text.trimmingWhitespace() }, render: { $0 }),
        BrokerSetting(
            "ssl.keystore.password", \.sslKeystorePassword, type: .string, unsetDescription: "(none)",
            documentation: "The PKCS12 keystore's password.", parse: { text, _ in text }, render: { hidden($0) }),
        BrokerSetting(
            "ssl.key.password", \.sslKeyPassword, type: .string, unsetDescription: "(none)",
            documentation: "The password of an encrypted PEM private key (for PKCS12, used when `ssl.keystore.password` is unset).",
            parse: { text, _ in text }, render: { hidden($0) }),
        BrokerSetting(
            "ssl.keystore.certificate.chain", \.sslKeystoreCertificateChain, type: .string, unsetDescription: "(none)",
            documentation: "The certificate chain in PEM, inline, instead of `ssl.keystore.location` (with `ssl.keystore.key`).",
            parse: { text, _ in text }, render: { $0.map { _ in "(PEM certificates)" } }),
        BrokerSetting(
            "ssl.keystore.key", \.sslKeystoreKey, type: .string, unsetDescription: "(none)",
            documentation: "The private key in PEM, inline, instead of `ssl.keystore.location`.",
            parse: { text, _ in text }, render: { hidden($0) }),
        .choice(
            "ssl.truststore.type", \.sslTruststoreType, ["PEM": .pem, "PKCS12": .pkcs12],
            differenceFromKafka: .init(kafkaDefault: "JKS", reason: "JKS is Java's own format; Samsa reads PEM and PKCS12."),
            documentation: "The format of the certificates that client certificates are checked against."),
        BrokerSetting(
            "ssl.truststore.location", \.sslTruststoreLocation, type: .string, unsetDescription: "(none)",
            documentation: "The CA certificates that client certificates must chain to (needed unless `ssl.client.auth=none`).",
            parse: { text, _ in text.trimmingWhitespace() }, render: { $0 }),
        BrokerSetting(
            "ssl.truststore.password", \.sslTruststorePassword, type: .string, unsetDescription: "(none)",
            documentation: "The PKCS12 truststore's password.", parse: { text, _ in text }, render: { hidden($0) }),
        BrokerSetting(
            "ssl.truststore.certificates", \.sslTruststoreCertificates, type: .string, unsetDescription: "(none)",
            documentation: "The trusted CA certificates in PEM, inline, instead of `ssl.truststore.location`.",
            parse: { text, _ in text }, render: { $0.map { _ in "(PEM certificates)" } }),
        .choice(
            "ssl.client.auth", \.sslClientAuth, ["none": .none, "requested": .requested, "required": .required],
            documentation:
                "Whether TLS clients must show a certificate; with one, the connection's principal is `User:<subject DN>` (RFC 2253, as Kafka's default principal builder)."
        ),
        BrokerSetting(
            "ssl.enabled.protocols", \.sslEnabledProtocols, type: .list,
            documentation: "The TLS versions offered: TLSv1.2, TLSv1.3 or both.",
            parse: { text, _ throws(SettingValueError) in try tlsProtocolVersions(text) },
            render: { $0.map(\.rawValue).joined(separator: ",") }),
        BrokerSetting(
            "ssl.cipher.suites", \.sslCipherSuites, type: .list,
            documentation:
                "TLS 1.2 cipher suites by their standard names (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256); empty keeps the TLS library's secure defaults. TLS 1.3's suites are fixed.",
            parse: { text, _ in list(text) }, render: { $0.joined(separator: ",") }),
        BrokerSetting(
            listenerSSLOverridesKey, \.listenerSSLOverrides, type: .string, unsetDescription: "(none)",
            documentation:
                "Any `ssl.*` setting for one listener only, e.g. `listener.name.internal.ssl.client.auth=required`; the listener name is case-insensitive.",
            parse: { _, _ throws(SettingValueError) in
                throw SettingValueError(message: "set per listener, with the listener's name in the key")
            },
            render: { overrides in
                overrides.isEmpty
                    ? nil
                    : overrides.sorted { $0.key < $1.key }.flatMap { listener, settings in
                        settings.keys.sorted().map { "listener.name.\(listener.lowercased()).\($0)" }
                    }.joined(separator: ",")
            }),
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
            documentation: "How often retention runs."),
        BrokerSetting(
            "log.cleanup.policy", \.logCleanupPolicy, type: .list,
            documentation: "Topics' default cleanup policy: delete, compact or both (delete,compact).",
            parse: { text, _ throws(SettingValueError) in try cleanupPolicy(text) }, render: { $0.description }),
        .integer(
            "log.cleaner.delete.retention.ms", \.logCleanerDeleteRetentionMs, in: 0...Int64.max,
            documentation: "How long compaction keeps tombstones."),
        .boolean(
            "log.cleaner.enable", \.logCleanerEnable, documentation: "Compacted topics are compacted; false leaves them as written."),
        .integer(
            "log.cleaner.backoff.ms", \.logCleanerBackoffMs, in: 0...Int64.max,
            documentation: "How often the cleaner looks for a compacted topic's partition to compact."),
        .decimal(
            "log.cleaner.min.cleanable.ratio", \.logCleanerMinCleanableRatio, in: 0...1,
            documentation:
                "Topics' default `min.cleanable.dirty.ratio`: a partition is compacted once the bytes written since its last compaction are this share of its closed segments."
        ),
        .integer(
            "log.cleaner.min.compaction.lag.ms", \.logCleanerMinCompactionLagMs, in: 0...Int64.max,
            documentation: "Topics' default `min.compaction.lag.ms`: a segment is compacted only once its newest record is this old."),
        .integer(
            "log.cleaner.max.compaction.lag.ms", \.logCleanerMaxCompactionLagMs, in: 1...Int64.max,
            documentation:
                "Topics' default `max.compaction.lag.ms`: a partition whose oldest uncompacted record is this old is compacted whatever its dirty ratio."
        ),
        .choice(
            "log.message.timestamp.type", \.logMessageTimestampType, timestampTypes,
            documentation:
                "Topics' default `message.timestamp.type`: keep the producer's timestamps, or stamp each batch with the time it is appended."
        ),
        .integer(
            "log.message.timestamp.difference.max.ms", \.logMessageTimestampDifferenceMaxMs, in: 0...Int64.max,
            documentation:
                "Deprecated: the bound of `log.message.timestamp.before.max.ms` and `.after.max.ms` while those keep their default."),
        .integer(
            "log.message.timestamp.before.max.ms", \.logMessageTimestampBeforeMaxMs, in: 0...Int64.max,
            documentation:
                "Topics' default `message.timestamp.before.max.ms`: a CreateTime batch with a record older than the broker's clock by more is refused (INVALID_TIMESTAMP)."
        ),
        .integer(
            "log.message.timestamp.after.max.ms", \.logMessageTimestampAfterMaxMs, in: 0...Int64.max,
            documentation:
                "Topics' default `message.timestamp.after.max.ms`: a CreateTime batch with a record ahead of the broker's clock by more is refused (INVALID_TIMESTAMP)."
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
            "sasl.enabled.mechanisms", \.saslEnabledMechanisms, type: .list,
            documentation:
                "The SASL mechanisms a SASL listener offers; Samsa implements PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, and refuses to start a SASL listener with any other.",
            parse: { text, _ throws(SettingValueError) in
                text.split(separator: ",").map { $0.trimmingWhitespace().uppercased() }.filter { !$0.isEmpty }
            },
            render: { $0.joined(separator: ",") }),
        BrokerSetting(
            saslJaasConfigKey, \.saslJaasConfigs, type: .string, unsetDescription: "(none)",
            documentation:
                "Kafka's JAAS line for one listener and mechanism (lower case, e.g. `listener.name.sasl_plaintext.plain.sasl.jaas.config`): PlainLoginModule's `user_NAME=\"password\"` options are the PLAIN users; ScramLoginModule needs no options (SCRAM users are managed with AlterUserScramCredentials).",
            parse: { text, _ throws(SettingValueError) in try jaasConfigs(text) },
            // Passwords stay out of the start-up log and DescribeConfigs: only which lines are set.
            render: { $0.isEmpty ? nil : $0.keys.sorted().map { "listener.name.\($0).sasl.jaas.config=[hidden]" }.joined(separator: ",") }
        ),
        .integer(
            "connections.max.reauth.ms", \.connectionsMaxReauthMs, in: 0...Int64.max,
            documentation:
                "A SASL session ends after this (KIP-368): SaslAuthenticate v1+ tells the client, which must authenticate again on the same connection or be closed; 0 means never."
        ),
        .integer(
            "sasl.server.max.receive.size", \.saslServerMaxReceiveSize, in: 1...Int64(Int32.max),
            documentation: "The largest SASL token a client may send before it has authenticated; a larger one closes the connection."),
        BrokerSetting(
            "sasl.authentication.timeout.ms", \.saslAuthenticationTimeoutMs, type: .long, origin: .samsa,
            documentation: "A connection on a SASL listener that has not logged in this long after it opened is closed.",
            parse: { text, _ throws(SettingValueError) in try BrokerSetting.wholeNumber(text, in: 1...Int64.max) },
            render: { "\($0)" }),
        BrokerSetting(
            "log.level", \.logLevel, type: .string, origin: .samsa,
            documentation: "The least severe level logged: trace, debug, info, notice, warning (WARN), error, critical (FATAL).",
            parse: { text, _ throws(SettingValueError) in try parseLogLevel(text.trimmingWhitespace()) },
            render: { $0.rawValue }),
        BrokerSetting(
            "authorizer.class.name", \.authorizerClassName, type: .string,
            documentation:
                "`org.apache.kafka.metadata.authorizer.StandardAuthorizer` or `kafka.security.authorizer.AclAuthorizer` checks every request against the ACLs; empty allows everything.",
            parse: { text, _ throws(SettingValueError) in try authorizerClassName(text.trimmingWhitespace()) },
            render: { $0 }),
        BrokerSetting(
            "super.users", \.superUsers, type: .string,
            documentation: "Principals, separated by semicolons (`User:admin;User:ops`), that the authorizer always allows.",
            parse: { text, _ throws(SettingValueError) in try superUsers(text) },
            render: { $0.joined(separator: ";") }),
        .boolean(
            "allow.everyone.if.no.acl.found", \.allowEveryoneIfNoAclFound,
            documentation: "With the authorizer on, a resource that no ACL names at all is open to everyone."),
    ]

    /// The settings AlterConfigs and IncrementalAlterConfigs may change on a BROKER resource: those
    /// of Kafka 3.9's `DynamicBrokerConfig.AllDynamicConfigs` that change something in Samsa (the
    /// topics' defaults of `DynamicLogConfig`, `LogCleaner`'s backoff and message size,
    /// `SocketServer`'s connection limits). Kafka's other dynamic keys (listeners, SSL stores,
    /// thread pools) need a restart here, and are refused as Kafka refuses a read-only key.
    static let dynamicKeys: Set<String> = perBrokerDynamicKeys.union([
        "log.segment.bytes", "log.roll.ms", "log.flush.interval.messages", "log.flush.interval.ms", "log.retention.bytes",
        "log.retention.ms", "message.max.bytes", "log.index.interval.bytes", "log.cleaner.delete.retention.ms",
        "log.cleaner.min.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms", "log.cleaner.min.cleanable.ratio",
        "log.cleanup.policy", "min.insync.replicas", "compression.type", "log.message.timestamp.type",
        "log.message.timestamp.difference.max.ms", "log.message.timestamp.before.max.ms",
        "log.message.timestamp.after.max.ms", "log.cleaner.backoff.ms", "max.connections", "max.connections.per.ip",
        "max.connections.per.ip.overrides",
    ])

    /// Kafka's `DynamicBrokerConfig.PerBrokerConfigs` that Samsa changes at run time: settable
    /// for one broker only, not as the cluster default.
    static let perBrokerDynamicKeys: Set<String> = ["advertised.listeners"]

    /// Kafka's `ServerTopicConfigSynonyms`: the broker setting that supplies each topic setting's
    /// default, for DescribeConfigs' sources and synonyms.
    static let brokerKeysByTopicKey: [String: String] = [
        "segment.bytes": "log.segment.bytes", "segment.ms": "log.roll.ms", "flush.messages": "log.flush.interval.messages",
        "flush.ms": "log.flush.interval.ms", "retention.bytes": "log.retention.bytes", "retention.ms": "log.retention.ms",
        "max.message.bytes": "message.max.bytes", "index.interval.bytes": "log.index.interval.bytes",
        "delete.retention.ms": "log.cleaner.delete.retention.ms", "min.compaction.lag.ms": "log.cleaner.min.compaction.lag.ms",
        "max.compaction.lag.ms": "log.cleaner.max.compaction.lag.ms", "min.cleanable.dirty.ratio": "log.cleaner.min.cleanable.ratio",
        "cleanup.policy": "log.cleanup.policy", "min.insync.replicas": "min.insync.replicas", "compression.type": "compression.type",
        "message.timestamp.type": "log.message.timestamp.type",
        "message.timestamp.difference.max.ms": "log.message.timestamp.difference.max.ms",
        "message.timestamp.before.max.ms": "log.message.timestamp.before.max.ms",
        "message.timestamp.after.max.ms": "log.message.timestamp.after.max.ms",
    ]

    /// The authorizers whose ACL semantics Samsa's implements.
    static let kafkaAuthorizerClassNames: Set<String> = [
        "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "kafka.security.authorizer.AclAuthorizer",
    ]

    static func authorizerClassName(_ text: String) throws(SettingValueError) -> String {
        guard text.isEmpty || kafkaAuthorizerClassNames.contains(text) else {
            throw SettingValueError(
                message:
                    "'\(text)' is not an authorizer Samsa has; use org.apache.kafka.metadata.authorizer.StandardAuthorizer (or kafka.security.authorizer.AclAuthorizer), or leave it empty"
            )
        }
        return text
    }

    /// `super.users`: `Type:name` principals separated by semicolons.
    static func superUsers(_ text: String) throws(SettingValueError) -> [String] {
        let entries = text.split(separator: ";").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for entry in entries where KafkaPrincipal(parsing: entry) == nil {
            throw SettingValueError(message: "'\(entry)' is not a principal of the form Type:name (User:admin)")
        }
        return entries
    }

    /// `compression.type`'s values, for the broker and for topics; `producer` keeps batches as sent.
    static let compressionTypes: KeyValuePairs<String, CompressionCodec?> = [
        "producer": nil, "uncompressed": CompressionCodec.none, "gzip": .gzip, "snappy": .snappy, "lz4": .lz4, "zstd": .zstd,
    ]

    /// `message.timestamp.type`'s values, for the broker and for topics.
    static let timestampTypes: KeyValuePairs<String, TimestampType> = ["CreateTime": .createTime, "LogAppendTime": .logAppendTime]

    /// `cleanup.policy`'s values, for the broker and for topics.
    static func cleanupPolicy(_ text: String) throws(SettingValueError) -> LogConfiguration.CleanupPolicy {
        guard let policy = LogConfiguration.CleanupPolicy(kafkaValue: text) else {
            throw SettingValueError(message: "'\(text)' is not delete, compact, both or neither (empty)")
        }
        return policy
    }

    /// Kafka broker settings that mean nothing for a single-process PLAINTEXT broker (replication,
    /// KRaft quorum, thread pools, ZooKeeper, security, quotas, transactions): accepted with a
    /// warning, so that Kafka's own server.properties starts. So are `listener.name.*` keys.
    static let kafkaKeysWithoutEffect: Set<String> = [
        "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
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
        "log.cleaner.threads", "log.cleaner.dedupe.buffer.size", "log.cleaner.io.buffer.size",
        "log.segment.delete.delay.ms", "log.flush.scheduler.interval.ms",
        "log.flush.offset.checkpoint.interval.ms", "log.flush.start.offset.checkpoint.interval.ms",
        "log.index.size.max.bytes", "log.preallocate",
        "log.message.format.version", "log.message.downconversion.enable",
        "log.local.retention.ms", "log.local.retention.bytes", "inter.broker.protocol.version", "broker.rack",
        "reserved.broker.max.id", "broker.id.generation.enable", "quota.window.num", "quota.window.size.seconds",
        "replica.selector.class",
        "ssl.protocol", "ssl.keymanager.algorithm", "ssl.trustmanager.algorithm", "ssl.secure.random.implementation",
        "ssl.principal.mapping.rules", "ssl.endpoint.identification.algorithm",
        "sasl.mechanism.inter.broker.protocol", "sasl.mechanism.controller.protocol", "group.max.size",
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
