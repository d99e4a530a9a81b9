import KafkaProtocol
import Synchronization

/// Kafka's dynamic broker configs: settings changed over the wire (AlterConfigs and
/// IncrementalAlterConfigs on a BROKER resource) without a restart, for this broker (resource
/// name = its node id) or as the cluster-wide default (empty name, `--entity-default`). They are
/// persisted in the data folder and win over server.properties in Kafka's order: this broker's,
/// then the cluster default, then server.properties, then Kafka's default.
final class DynamicBrokerConfiguration: Sendable {
    /// Which of the two levels a change is made at.
    enum Level: Sendable {
        /// DYNAMIC_BROKER_CONFIG: this broker's own.
        case broker
        /// DYNAMIC_DEFAULT_BROKER_CONFIG: the cluster-wide default.
        case clusterDefault
    }

    /// Every level of the broker's settings at one moment, for DescribeConfigs' sources.
    struct Levels: Sendable {
        /// server.properties, or what embedding code set.
        var staticConfiguration: BrokerConfiguration
        /// DYNAMIC_BROKER_CONFIG values, as given.
        var broker: [String: String] = [:]
        /// DYNAMIC_DEFAULT_BROKER_CONFIG values, as given.
        var clusterDefault: [String: String] = [:]
        /// The settings in force.
        var effective: BrokerConfiguration

        /// A broker without dynamic configs.
        init(staticConfiguration: BrokerConfiguration) {
            self.staticConfiguration = staticConfiguration
            effective = staticConfiguration
        }

        subscript(level: Level) -> [String: String] {
            get { level == .broker ? broker : clusterDefault }
            set {
                if level == .broker { broker = newValue } else { clusterDefault = newValue }
            }
        }
    }

    /// The settings server.properties (or embedding code) gave at start-up.
    let staticConfiguration: BrokerConfiguration
    private let store: ConfigOverridesStore
    private let state: Mutex<Levels>

    /// Loads the persisted dynamic configs; one that no longer parses stops start-up, naming the file.
    init(staticConfiguration: BrokerConfiguration) throws {
        self.staticConfiguration = staticConfiguration
        store = try ConfigOverridesStore(dataDirectory: staticConfiguration.logDirectory, folderName: "broker-configs")
        let broker = try store.load(name: Self.fileName(.broker, nodeId: staticConfiguration.nodeId))
        let clusterDefault = try store.load(name: Self.fileName(.clusterDefault, nodeId: staticConfiguration.nodeId))
        let effective: BrokerConfiguration
        do throws(TopicError) {
            effective = try Self.resolve(staticConfiguration, broker: broker, clusterDefault: clusterDefault)
        } catch {
            throw BrokerConfigurationError(key: store.folder, message: "stored dynamic broker config refused: \(error.message)")
        }
        var levels = Levels(staticConfiguration: staticConfiguration)
        levels.broker = broker
        levels.clusterDefault = clusterDefault
        levels.effective = effective
        state = Mutex(levels)
    }

    /// The settings in force: server.properties with the dynamic configs applied.
    var current: BrokerConfiguration { state.withLock { $0.effective } }

    /// Every level at once, consistent with each other.
    var levels: Levels { state.withLock { $0 } }

    /// The dynamic configs set at `level`, as given.
    func overrides(at level: Level) -> [String: String] {
        state.withLock { $0[level] }
    }

    /// Checks `replacement` as the whole set of dynamic configs at `level` and returns the settings
    /// that would then be in force, without changing anything.
    func validate(_ replacement: [String: String], at level: Level) throws(TopicError) -> BrokerConfiguration {
        let (broker, clusterDefault) = state.withLock { ($0.broker, $0.clusterDefault) }
        return try Self.resolve(
            staticConfiguration, broker: level == .broker ? replacement : broker,
            clusterDefault: level == .clusterDefault ? replacement : clusterDefault)
    }

    /// Replaces the dynamic configs at `level`, persists them and returns the settings now in force.
    func replace(_ replacement: [String: String], at level: Level) throws(TopicError) -> BrokerConfiguration {
        try state.withLock { (state: inout Levels) throws(TopicError) -> BrokerConfiguration in
            var next = state
            next[level] = replacement
            next.effective = try Self.resolve(staticConfiguration, broker: next.broker, clusterDefault: next.clusterDefault)
            do {
                try store.save(name: Self.fileName(level, nodeId: staticConfiguration.nodeId), overrides: replacement)
            } catch {
                throw TopicError(.kafkaStorageError, "Cannot save the dynamic broker configs: \(error)")
            }
            state = next
            return next.effective
        }
    }

    /// Kafka's names: the node id, or `<default>` for the cluster-wide default.
    private static func fileName(_ level: Level, nodeId: Int32) -> String {
        level == .broker ? "\(nodeId)" : "<default>"
    }

    /// The static settings with the cluster default, then this broker's, applied; Kafka's refusals
    /// for a key that cannot change at run time and for a value that does not parse.
    private static func resolve(
        _ staticConfiguration: BrokerConfiguration, broker: [String: String], clusterDefault: [String: String]
    ) throws(TopicError) -> BrokerConfiguration {
        let fixed = Set(broker.keys).union(clusterDefault.keys).subtracting(BrokerConfiguration.dynamicKeys)
        if !fixed.isEmpty {
            throw TopicError(
                .invalidRequest, "Cannot update these configs dynamically: Set(\(fixed.sorted().joined(separator: ", ")))")
        }
        let perBrokerOnly = Set(clusterDefault.keys).intersection(BrokerConfiguration.perBrokerDynamicKeys)
        if !perBrokerOnly.isEmpty {
            throw TopicError(
                .invalidRequest,
                "Cannot update these configs at default cluster level, broker id must be specified: Set(\(perBrokerOnly.sorted().joined(separator: ", ")))"
            )
        }
        var configuration = staticConfiguration
        for values in [clusterDefault, broker] {
            for setting in BrokerConfiguration.settings {
                guard let text = values[setting.key] else { continue }
                do {
                    try setting.apply(&configuration, text)
                } catch {
                    throw TopicError(.invalidRequest, "Invalid value \(text) for configuration \(setting.key): \(error.message)")
                }
            }
        }
        return configuration
    }
}
