/// One setting of a described resource.
public struct KafkaConfigEntry: Hashable, Sendable {
    /// The setting's key, as server.properties or the topic configuration spells it.
    public var name: String
    /// Nil for sensitive settings and settings without a value.
    public var value: String?
    /// Whether AlterConfigs can change it (a broker's static settings cannot).
    public var isReadOnly: Bool
    /// Whether the value is the default rather than one set on the resource or the broker.
    public var isDefault: Bool
    /// Whether the value is a secret (a password), which is then not sent.
    public var isSensitive: Bool
    /// `.unknown` from brokers that answer DescribeConfigs v0.
    public var source: KafkaConfigSource
    /// Filled when `describeConfigs` was asked to include synonyms.
    public var synonyms: [KafkaConfigSynonym]
}
