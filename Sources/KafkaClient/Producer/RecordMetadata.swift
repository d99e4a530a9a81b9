/// Where an acknowledged record was written, kafka-python's `RecordMetadata`.
public struct RecordMetadata: Hashable, Sendable {
    public var topic: String
    public var partition: Int32
    /// The record's offset; -1 with acks=0, where the broker does not answer.
    public var offset: Int64
    /// The record's timestamp (ms since the epoch): the broker's append time when the topic uses
    /// LogAppendTime, else the timestamp the record was sent with.
    public var timestamp: Int64
    /// The key's size in bytes after serialization, -1 for a null key.
    public var serializedKeySize: Int
    /// The value's size in bytes after serialization, -1 for a null value.
    public var serializedValueSize: Int

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}
