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

    /// A record as the consumer would return it, for tests of code that processes records.
    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64 = -1, timestampType: KafkaTimestampType = .createTime,
        key: (any Sendable)? = nil, value: (any Sendable)? = nil, headers: [KafkaHeader] = [], serializedKeySize: Int = -1,
        serializedValueSize: Int = -1
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
        self.serializedKeySize = serializedKeySize
        self.serializedValueSize = serializedValueSize
    }
}
