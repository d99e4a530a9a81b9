import KafkaProtocol
import KafkaStorage

/// A topic as the broker serves it: its id, its partition logs and its configuration overrides.
struct Topic: Sendable {
    var name: String
    var id: KafkaUUID
    /// Index = partition number.
    var partitions: [PartitionLog]
    /// Topic-level settings set at creation or through AlterConfigs (`retention.ms`, ...).
    var configOverrides: [String: String]

    var isInternal: Bool { name == Topic.consumerOffsets }

    static let consumerOffsets = "__consumer_offsets"
}
