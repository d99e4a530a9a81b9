/// A record read by `KafkaConsumer`, kafka-python's `ConsumerRecord`.
public struct KafkaConsumerRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch; -1 when the producer set none.
    public var timestamp: Int64
    public var timestampType: KafkaTimestampType
    /// The key as `keyDeserializer` made it (a `ByteBuffer` by default); nil for a null key.
    public var key: (any Sendable)?
    /// The value as `valueDeserializer` made it (a `ByteBuffer` by default); nil for a null value.
    public var value: (any Sendable)?
    public var headers: [KafkaHeader]
    /// -1 for a null key.
    public var serializedKeySize: Int
    /// -1 for a null value.
    public var serializedValueSize: Int

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}
