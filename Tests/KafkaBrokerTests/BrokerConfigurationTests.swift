import Foundation
import KafkaProperties
import KafkaRecords
import KafkaStorage
import Logging
import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("Broker settings", .tags(.pure))
struct BrokerConfigurationTests {
    @Test func defaultsNeedNothing() throws {
        let configuration = try BrokerConfiguration(properties: [])
        #expect(configuration.listeners == [.init(name: "PLAINTEXT", securityProtocol: .plaintext, host: "localhost", port: 9092)])
        #expect(configuration.logDirectory == "./samsa-data")
        #expect(configuration.groupInitialRebalanceDelayMs == 0)
        #expect(configuration.compressionType == nil, "producer: batches are stored as sent")
    }

    /// Kafka 3.9's config/kraft/server.properties, comments and all.
    static let kafkaSampleProperties = """
        ############################# Server Basics #############################
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@localhost:9093

        ############################# Socket Server Settings #############################
        listeners=PLAINTEXT://:9092,CONTROLLER://:9093
        inter.broker.listener.name=PLAINTEXT
        advertised.listeners=PLAINTEXT://localhost:9092
        controller.listener.names=CONTROLLER
        listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
        num.network.threads=3
        num.io.threads=8
        socket.send.buffer.bytes=102400
        socket.receive.buffer.bytes=102400
        socket.request.max.bytes=104857600

        ############################# Log Basics #############################
        log.dirs=/tmp/kraft-combined-logs
        num.partitions=1
        num.recovery.threads.per.data.dir=1
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        log.retention.hours=168
        log.segment.bytes=1073741824
        log.retention.check.interval.ms=300000
        """

    @Test func kafkasOwnSamplePropertiesStartWithWarnings() throws {
        var warnings: [String] = []
        let configuration = try BrokerConfiguration(
            properties: JavaProperties.parse(Self.kafkaSampleProperties)
        ) { warnings.append($0) }
        #expect(
            configuration.listeners == [.init(name: "PLAINTEXT", securityProtocol: .plaintext, host: "localhost", port: 9092)],
            "the PLAINTEXT listener, not CONTROLLER")
        #expect(
            configuration.advertisedListeners == [.init(name: "PLAINTEXT", securityProtocol: .plaintext, host: "localhost", port: 9092)])
        #expect(configuration.logDirectory == "/tmp/kraft-combined-logs")
        #expect(configuration.logRetentionMs == 168 * 3_600_000)
        #expect(warnings.count == 11, "controller.listener.names is read: its listeners are left unbound")
        #expect(warnings.contains { $0.contains("'process.roles'") })
    }

    @Test func unknownKeyStopsStartUp() {
        #expect(throws: BrokerConfigurationError(key: "log.retention.hourz", message: "unknown setting")) {
            try BrokerConfiguration(properties: [("log.retention.hourz", "1")])
        }
    }

    @Test(
        "bad values name their key",
        arguments: [
            ("num.partitions", "zero"), ("num.partitions", "0"), ("auto.create.topics.enable", "yes"),
            ("listeners", "localhost:9092"), ("listeners", "CONTROLLER://:9093"), ("compression.type", "brotli"),
            ("log.cleanup.policy", "forever"), ("metrics.listener", "localhost:9645"), ("metrics.listener", "http://localhost"),
            ("log.level", "loud"),
        ])
    func badValue(key: String, value: String) {
        #expect {
            try BrokerConfiguration(properties: [(key, value)])
        } throws: { error in
            (error as? BrokerConfigurationError)?.key == key
        }
    }

    @Test func metricsListenerIsAnHTTPAddressOrOff() throws {
        #expect(try BrokerConfiguration(properties: []).metricsListener == .init(host: "localhost", port: 9645))
        #expect(
            try BrokerConfiguration(properties: [("metrics.listener", "http://127.0.0.1:0")]).metricsListener
                == .init(host: "127.0.0.1", port: 0))
        #expect(
            try BrokerConfiguration(properties: [("metrics.listener", "http://:8080/")]).metricsListener
                == .init(host: "localhost", port: 8080))
        #expect(try BrokerConfiguration(properties: [("metrics.listener", "")]).metricsListener == nil)
    }

    @Test func logLevelTakesSwiftLogAndLog4jNames() throws {
        #expect(try BrokerConfiguration(properties: []).logLevel == .info)
        #expect(try BrokerConfiguration(properties: [("log.level", "debug")]).logLevel == .debug)
        #expect(try BrokerConfiguration(properties: [("log.level", "WARN")]).logLevel == .warning)
        #expect(try BrokerConfiguration(properties: [("log.level", "FATAL")]).logLevel == .critical)
    }

    @Test func startUpLogNamesOnlyTheSettingsThatDiffer() throws {
        #expect(try BrokerConfiguration(properties: []).settingsDifferingFromDefaults.isEmpty)
        let changed = try BrokerConfiguration(properties: [("num.partitions", "3"), ("log.retention.hours", "1"), ("metrics.listener", "")])
        let lines = changed.settingsDifferingFromDefaults.map { "\($0.key)=\($0.value) (default \($0.defaultValue))" }
        #expect(
            lines == [
                "num.partitions=3 (default 1)", "log.retention.ms=3600000 (default 604800000)",
                "metrics.listener= (default http://localhost:9645)",
            ])
    }

    @Test func everyStoredPropertyHasOneDeclaration() {
        let stored = Mirror(reflecting: BrokerConfiguration()).children.count
        #expect(BrokerConfiguration.settings.count == stored, "declare the new property in BrokerConfiguration.settings")
        let keys = BrokerConfiguration.settings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count, "a key is declared twice")
        #expect(BrokerConfiguration.kafkaKeysWithoutEffect.isDisjoint(with: keys), "a declared key is also listed as without effect")
    }

    static let declaredWithKeys = BrokerConfiguration.settings.filter { $0.origin != .embeddingOnly }

    @Test("every declaration parses its default's text back to the default", arguments: declaredWithKeys.map(\.key))
    func defaultTextParsesToTheDefault(key: String) throws {
        let setting = try #require(BrokerConfiguration.settingsByKey[key])
        guard let text = setting.render(BrokerConfiguration()) else {
            #expect(!setting.unsetDescription.isEmpty, "a setting without a default value says what its absence means")
            return
        }
        #expect(try BrokerConfiguration(properties: [(key, text)]) == BrokerConfiguration())
    }

    @Test(
        "every number or flag refuses a word, naming its key",
        arguments: declaredWithKeys.filter { $0.type != .string && $0.type != .list }.flatMap(\.keys))
    func wordForNumberOrFlagNamesTheKey(key: String) {
        #expect(throws: BrokerConfigurationError.self) { try BrokerConfiguration(properties: [(key, "many")]) }
        #expect { try BrokerConfiguration(properties: [(key, "many")]) } throws: { ($0 as? BrokerConfigurationError)?.key == key }
    }

    @Test func aliasesAreReadWhenTheMainKeyIsAbsent() throws {
        #expect(try BrokerConfiguration(properties: [("broker.id", "7")]).nodeId == 7)
        #expect(try BrokerConfiguration(properties: [("broker.id", "7"), ("node.id", "3")]).nodeId == 3)
        #expect(try BrokerConfiguration(properties: [("log.dir", "/data/a")]).logDirectory == "/data/a")
        #expect(try BrokerConfiguration(properties: [("log.dirs", "/data/b,/data/c"), ("log.dir", "/data/a")]).logDirectory == "/data/b")
        #expect(try BrokerConfiguration(properties: [("log.roll.hours", "2")]).logRollMs == 7_200_000)
        #expect { try BrokerConfiguration(properties: [("log.retention.hours", "soon")]) } throws: {
            ($0 as? BrokerConfigurationError)?.key == "log.retention.hours"
        }
    }

    @Test func messageTimestampTypeIsTheTopicsDefault() throws {
        #expect(try BrokerConfiguration(properties: []).logMessageTimestampType == .createTime)
        let configuration = try BrokerConfiguration(properties: [("log.message.timestamp.type", "LogAppendTime")])
        #expect(configuration.logMessageTimestampType == .logAppendTime)
        #expect(TopicSettings(defaults: configuration).messageTimestampType == .logAppendTime)
        #expect(
            try TopicSettings(overrides: ["message.timestamp.type": "CreateTime"], defaults: configuration).messageTimestampType
                == .createTime)
        let topicEntry = DescribeConfigsHandler.topicEntries(overrides: [:], levels: .init(staticConfiguration: configuration)).first {
            $0.name == "message.timestamp.type"
        }
        #expect(topicEntry?.value == "LogAppendTime")
        #expect(
            throws: BrokerConfigurationError(key: "log.message.timestamp.type", message: "'Now' is not one of CreateTime, LogAppendTime")
        ) {
            try BrokerConfiguration(properties: [("log.message.timestamp.type", "Now")])
        }
    }

    @Test func timestampBoundsFollowKafkasPrecedence() throws {
        let now: Int64 = 1_000_000
        #expect(TopicSettings(defaults: BrokerConfiguration()).acceptedTimestamps(at: now) == nil, "Kafka 3.x bounds nothing")
        let difference = try BrokerConfiguration(properties: [("log.message.timestamp.difference.max.ms", "100")])
        #expect(TopicSettings(defaults: difference).acceptedTimestamps(at: now) == (now - 100)...(now + 100))
        let both = try BrokerConfiguration(properties: [
            ("log.message.timestamp.difference.max.ms", "100"), ("log.message.timestamp.after.max.ms", "7"),
        ])
        #expect(TopicSettings(defaults: both).acceptedTimestamps(at: now) == (now - 100)...(now + 7), "after.max.ms wins on its side")
        let topic = try TopicSettings(overrides: ["message.timestamp.difference.max.ms": "50"], defaults: BrokerConfiguration())
        #expect(topic.acceptedTimestamps(at: now) == (now - 50)...(now + 50))
        let onlyBefore = try TopicSettings(overrides: ["message.timestamp.before.max.ms": "5"], defaults: BrokerConfiguration())
        #expect(onlyBefore.acceptedTimestamps(at: now) == (now - 5)...Int64.max)
        let appendTime = try TopicSettings(overrides: ["message.timestamp.type": "LogAppendTime"], defaults: difference)
        #expect(appendTime.acceptedTimestamps(at: now) == nil, "only CreateTime timestamps are checked")
        let described = DescribeConfigsHandler.topicEntries(overrides: [:], levels: .init(staticConfiguration: difference))
        #expect(described.first { $0.name == "message.timestamp.before.max.ms" }?.value == "100", "the broker's bound after the fallback")
        #expect { try BrokerConfiguration(properties: [("log.message.timestamp.before.max.ms", "-1")]) } throws: {
            ($0 as? BrokerConfigurationError)?.key == "log.message.timestamp.before.max.ms"
        }
    }

    @Test func describeConfigsListsEveryKeyedSettingWithItsSource() throws {
        let configuration = try BrokerConfiguration(properties: [("num.partitions", "3"), ("log.retention.hours", "1")])
        let entries = DescribeConfigsHandler.brokerEntries(levels: .init(staticConfiguration: configuration))
        #expect(entries.map(\.name) == Self.declaredWithKeys.map(\.key))
        #expect(Set(entries.filter { !$0.readOnly }.map(\.name)) == BrokerConfiguration.dynamicKeys, "only dynamic settings are writable")
        let changed = entries.filter { $0.configSource == .staticBroker }.map { "\($0.name)=\($0.value ?? "null")" }
        #expect(changed == ["num.partitions=3", "log.retention.ms=3600000"])
        #expect(entries.first { $0.name == "advertised.listeners" }?.value == nil, "unset, as Kafka reports it")
        #expect(entries.first { $0.name == "log.segment.bytes" }?.type == .int)
    }

    @Test func topicSettingsAreResolvedOnceIntoTypedValues() throws {
        let settings = try TopicSettings(
            overrides: [
                "retention.ms": "1000", "compression.type": "zstd", "max.message.bytes": "2048", "cleanup.policy": "compact,delete",
                "message.timestamp.type": "LogAppendTime",
            ],
            defaults: BrokerConfiguration())
        #expect(settings.log.retentionMs == 1000)
        #expect(settings.compressionType == .zstd)
        #expect(settings.maxMessageBytes == 2048)
        #expect(settings.log.cleanupPolicy == [.compact, .delete])
        #expect(settings.messageTimestampType == .logAppendTime)
        #expect(settings.log.segmentBytes == BrokerConfiguration().logSegmentBytes)
        #expect { try TopicSettings(overrides: ["retention.mss": "1"], defaults: BrokerConfiguration()) } throws: {
            ($0 as? TopicError)?.message == "Unknown topic config name: retention.mss"
        }
        #expect { try TopicSettings(overrides: ["compression.type": "brotli"], defaults: BrokerConfiguration()) } throws: {
            ($0 as? TopicError)?.message.contains("compression.type") == true
        }
        #expect(throws: TopicError.self) { try TopicSettings(overrides: ["preallocate": "maybe"], defaults: BrokerConfiguration()) }
        #expect(
            try TopicSettings(overrides: ["preallocate": "true"], defaults: BrokerConfiguration())
                == TopicSettings(defaults: BrokerConfiguration()))
    }

    @Test func readmeSettingsTableIsTheDeclarations() throws {
        let readmeURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let readme = try String(contentsOf: readmeURL, encoding: .utf8)
        let regenerated = try #require(
            BrokerSettingsDocumentation.replacingTable(in: readme), "README.md lacks the markers \(BrokerSettingsDocumentation.beginMarker)"
        )
        #expect(
            regenerated == readme,
            "README.md's settings table differs from the declarations: run `swift run samsa settings-table README.md`")
    }

    @Test func retentionPrecedenceIsMillisecondsThenMinutesThenHours() throws {
        #expect(
            try BrokerConfiguration(properties: [("log.retention.hours", "1"), ("log.retention.minutes", "2")]).logRetentionMs == 120_000)
        #expect(try BrokerConfiguration(properties: [("log.retention.minutes", "2"), ("log.retention.ms", "5")]).logRetentionMs == 5)
        #expect(try BrokerConfiguration(properties: [("log.retention.hours", "-1")]).logRetentionMs == -1)
    }

    @Test func connectionLimitsHaveKafkasNamesAndDefaults() throws {
        let defaults = try BrokerConfiguration(properties: [])
        #expect(defaults.maxConnections == Int32.max)
        #expect(defaults.maxConnectionsPerIp == Int32.max)
        #expect(defaults.connectionsMaxIdleMs == 600_000)
        #expect(defaults.fetchMaxBytes == 57_671_680)
        let configured = try BrokerConfiguration(properties: [
            ("max.connections", "100"), ("max.connections.per.ip", "10"), ("connections.max.idle.ms", "5000"),
            ("max.connections.per.ip.overrides", "127.0.0.1:50, ::1:20"), ("fetch.max.bytes", "2048"),
        ])
        #expect(configured.maxConnections == 100)
        #expect(configured.maxConnectionsPerIp == 10)
        #expect(configured.connectionsMaxIdleMs == 5_000)
        #expect(configured.maxConnectionsPerIpOverrides == ["127.0.0.1": 50, "::1": 20])
        #expect(configured.fetchMaxBytes == 2_048)
        #expect(throws: BrokerConfigurationError.self) {
            try BrokerConfiguration(properties: [("max.connections.per.ip.overrides", "host")])
        }
        #expect(throws: BrokerConfigurationError.self) { try BrokerConfiguration(properties: [("connections.max.idle.ms", "0")]) }
    }

    @Test func propertiesSyntax() {
        let entries = JavaProperties.parse(
            """
            # comment
            ! another
            a=1
            b : 2
            c 3
            long=one,\\
                two
            """)
        #expect(entries.map(\.key) == ["a", "b", "c", "long"])
        #expect(entries.map(\.value) == ["1", "2", "3", "one,two"])
    }

    @Test func softwareTokensFollowKip511() {
        #expect(ApiRouter.isValidSoftwareToken("kafka-python"))
        #expect(ApiRouter.isValidSoftwareToken("3.0.12"))
        #expect(!ApiRouter.isValidSoftwareToken("-bad"))
        #expect(!ApiRouter.isValidSoftwareToken(""))
        #expect(!ApiRouter.isValidSoftwareToken("with space"))
    }
}
