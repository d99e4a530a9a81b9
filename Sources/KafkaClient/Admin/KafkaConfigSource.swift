/// Where a setting's value comes from (Kafka's `ConfigEntry.ConfigSource`, DescribeConfigs v1+).
/// Printed with Kafka's names, as kafka-configs.sh shows them in `synonyms={…}`.
public struct KafkaConfigSource: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int8

    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let unknown = KafkaConfigSource(rawValue: 0)
    /// Set on the topic (`--config` at creation, `kafka-configs.sh --alter`).
    public static let dynamicTopicConfig = KafkaConfigSource(rawValue: 1)
    public static let dynamicBrokerConfig = KafkaConfigSource(rawValue: 2)
    public static let dynamicDefaultBrokerConfig = KafkaConfigSource(rawValue: 3)
    /// From the broker's server.properties.
    public static let staticBrokerConfig = KafkaConfigSource(rawValue: 4)
    /// Kafka's built-in default.
    public static let defaultConfig = KafkaConfigSource(rawValue: 5)
    public static let dynamicBrokerLoggerConfig = KafkaConfigSource(rawValue: 6)

    public var description: String {
        switch self {
        case .dynamicTopicConfig: return "DYNAMIC_TOPIC_CONFIG"
        case .dynamicBrokerConfig: return "DYNAMIC_BROKER_CONFIG"
        case .dynamicDefaultBrokerConfig: return "DYNAMIC_DEFAULT_BROKER_CONFIG"
        case .staticBrokerConfig: return "STATIC_BROKER_CONFIG"
        case .defaultConfig: return "DEFAULT_CONFIG"
        case .dynamicBrokerLoggerConfig: return "DYNAMIC_BROKER_LOGGER_CONFIG"
        default: return "UNKNOWN"
        }
    }
}
