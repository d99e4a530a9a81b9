/// kafka-python's `acks`: how many acknowledgements the leader waits for before answering a
/// Produce request. Open, like Kafka's own integer setting.
public struct KafkaAcks: Hashable, Sendable, CustomStringConvertible {
    /// The value sent in ProduceRequest.acks.
    public let rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// `acks=0`: no response at all; a record counts as sent once it is written to the socket.
    public static let none = KafkaAcks(rawValue: 0)
    /// `acks=1`: the leader appended the records.
    public static let leader = KafkaAcks(rawValue: 1)
    /// `acks=all` (-1): all in-sync replicas have them (a single Samsa broker: they are fsync'd).
    public static let all = KafkaAcks(rawValue: -1)

    /// Parses "0", "1", "all" or "-1".
    public init?(_ text: String) {
        switch text.lowercased() {
        case "0": self = .none
        case "1": self = .leader
        case "all", "-1": self = .all
        default: return nil
        }
    }

    public var description: String { self == .all ? "all" : "\(rawValue)" }
}
