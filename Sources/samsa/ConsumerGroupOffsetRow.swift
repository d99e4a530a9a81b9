/// One row of `consumer-groups --describe` (Kafka's `PartitionAssignmentState`); nil prints "-".
struct ConsumerGroupOffsetRow: Equatable {
    var group: String
    var topic: String?
    var partition: Int32?
    var currentOffset: Int64?
    var logEndOffset: Int64?
    var consumerId: String?
    var host: String?
    var clientId: String?

    /// Kafka's lag: log end minus committed, when both are known.
    var lag: Int64? {
        guard let currentOffset, currentOffset != -1, let logEndOffset else { return nil }
        return logEndOffset - currentOffset
    }

    /// The row's cells in column order, "-" where a value is missing.
    var columns: [String] {
        let cells: [(any CustomStringConvertible)?] = [
            group, topic, partition, currentOffset, logEndOffset, lag, consumerId, host, clientId,
        ]
        return cells.map { $0?.description ?? "-" }
    }
}
