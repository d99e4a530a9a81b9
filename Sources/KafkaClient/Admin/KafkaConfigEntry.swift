/// One setting of a described resource.
public struct KafkaConfigEntry: Hashable, Sendable {
    public var name: String
    /// Nil for sensitive settings and settings without a value.
    public var value: String?
    public var isReadOnly: Bool
    public var isDefault: Bool
    public var isSensitive: Bool
    /// `.unknown` from brokers that answer DescribeConfigs v0.
    public var source: KafkaConfigSource
    /// Filled when `describeConfigs` was asked to include synonyms.
    public var synonyms: [KafkaConfigSynonym]
}
