/// One of the settings that could supply an entry's value, in precedence order (DescribeConfigs
/// with `include_synonyms`): a topic's `retention.ms` and the broker's `log.retention.ms`, say.
public struct KafkaConfigSynonym: Hashable, Sendable {
    /// The key at this level, such as `log.retention.ms` for a topic's `retention.ms`.
    public var name: String
    /// Nil for sensitive settings.
    public var value: String?
    /// Where the value comes from; the entries are in order of precedence.
    public var source: KafkaConfigSource
}
