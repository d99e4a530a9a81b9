import KafkaProtocol
import KafkaStorage

/// A topic as the broker serves it: its id, its partition logs and its configuration overrides.
struct Topic: Sendable {
    var name: String
    var id: KafkaUUID
    /// Index = partition number.
    var partitions: [PartitionLog]
    /// Topic-level settings set at creation or through AlterConfigs (`retention.ms`, ...), as
    /// given: DescribeConfigs reports them and they are persisted.
    var configOverrides: [String: String]
    /// The broker defaults with `configOverrides` applied, resolved whenever those change.
    var settings: TopicSettings

    var isInternal: Bool { name == Topic.consumerOffsets || name == Topic.transactionState }

    static let consumerOffsets = "__consumer_offsets"
    static let transactionState = "__transaction_state"
}
