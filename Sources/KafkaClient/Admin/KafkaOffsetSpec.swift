/// Which offset `KafkaAdminClient.listOffsets` asks a partition for (Java's `OffsetSpec`).
public struct KafkaOffsetSpec: Hashable, Sendable {
    /// The timestamp ListOffsets sends: -2 earliest, -1 latest, else milliseconds since the epoch.
    public let timestamp: Int64

    private init(timestamp: Int64) { self.timestamp = timestamp }

    /// The log start offset.
    public static let earliest = KafkaOffsetSpec(timestamp: -2)
    /// The log end offset (the high watermark): the offset the next record will get.
    public static let latest = KafkaOffsetSpec(timestamp: -1)
    /// The first offset whose record timestamp is at or after `milliseconds`.
    public static func forTimestamp(_ milliseconds: Int64) -> KafkaOffsetSpec { KafkaOffsetSpec(timestamp: milliseconds) }
}
