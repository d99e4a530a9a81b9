import KafkaStorage

/// A consumer group and one partition it committed an offset for.
struct GroupPartitionKey: Hashable, Sendable {
    var group: String
    var partition: TopicPartition
}
