/// kafka-python's `auto_offset_reset`: where a consumer starts when it has no committed offset, or
/// when its position is out of range.
public struct KafkaAutoOffsetReset: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    private init(name: String) {
        self.name = name
    }

    /// The oldest offset still in the log.
    public static let earliest = KafkaAutoOffsetReset(name: "earliest")
    /// The end of the log: only records produced from now on.
    public static let latest = KafkaAutoOffsetReset(name: "latest")
    /// No reset: polling fails with OFFSET_OUT_OF_RANGE (kafka-python's NoOffsetForPartitionError).
    public static let none = KafkaAutoOffsetReset(name: "none")

    /// Parses "earliest", "latest" or "none" (and the legacy "smallest"/"largest").
    public init?(_ text: String) {
        switch text.lowercased() {
        case "earliest", "smallest": self = .earliest
        case "latest", "largest": self = .latest
        case "none": self = .none
        default: return nil
        }
    }

    public var description: String { name }
}
