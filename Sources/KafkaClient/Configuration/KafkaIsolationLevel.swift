/// kafka-python's `isolation_level`, sent in Fetch and ListOffsets.
public struct KafkaIsolationLevel: Hashable, Sendable, CustomStringConvertible {
    /// The wire value (0 or 1).
    public let rawValue: Int8

    private init(rawValue: Int8) {
        self.rawValue = rawValue
    }

    public static let readUncommitted = KafkaIsolationLevel(rawValue: 0)
    /// Only records of committed transactions (and none past the last stable offset).
    public static let readCommitted = KafkaIsolationLevel(rawValue: 1)

    /// Parses "read_uncommitted" or "read_committed".
    public init?(_ text: String) {
        switch text.lowercased() {
        case "read_uncommitted": self = .readUncommitted
        case "read_committed": self = .readCommitted
        default: return nil
        }
    }

    public var description: String { self == .readCommitted ? "read_committed" : "read_uncommitted" }
}
