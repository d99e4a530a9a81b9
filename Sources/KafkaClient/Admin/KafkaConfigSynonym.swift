/// One of the settings that could supply an entry's value, in precedence order (DescribeConfigs
/// with `include_synonyms`): a topic's `retention.ms` and the broker's `log.retention.ms`, say.
public struct KafkaConfigSynonym: Hashable, Sendable {
    public var name: String
    public var value: String?
    public var source: KafkaConfigSource
}
