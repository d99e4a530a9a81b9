/// A Kafka error code. Open: codes this library does not know survive decoding and re-encoding.
/// Names, retriable flags and default messages are generated from Kafka's error table.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public var description: String { "\(name ?? "UNKNOWN_ERROR_CODE")(\(rawValue))" }
}
