import KafkaRecords

/// A record read back from a topic, with the partition it is in.
public struct TopicRecord: Sendable, Equatable {
    public var partition: Int32
    public var record: DecodedRecord

    public init(partition: Int32, record: DecodedRecord) {
        self.partition = partition
        self.record = record
    }
}
