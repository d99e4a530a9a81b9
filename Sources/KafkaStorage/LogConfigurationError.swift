/// A topic-level log setting with a value Kafka would reject (INVALID_CONFIG at the broker).
public struct LogConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var reason: String

    public init(key: String, value: String, reason: String) {
        self.key = key
        self.value = value
        self.reason = reason
    }

    public var description: String { "Invalid value '\(value)' for \(key): \(reason)" }
}
