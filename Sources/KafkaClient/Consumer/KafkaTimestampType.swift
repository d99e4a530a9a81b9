/// Whose clock a record's timestamp comes from (kafka-python's `timestamp_type`: 0 or 1).
public enum KafkaTimestampType: Int8, Sendable, Hashable {
    /// The producer's.
    case createTime = 0
    /// The broker's, when the topic's `message.timestamp.type` is LogAppendTime.
    case logAppendTime = 1
}
