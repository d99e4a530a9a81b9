/// A Kafka API key. Open: a key this library does not know is still representable, so that a
/// broker can answer it (or close the connection) rather than fail to parse the header.
/// The named keys, their versions and header versions are generated from the message specs.
public struct ApiKey: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public var description: String { "\(name)(\(rawValue))" }
}
