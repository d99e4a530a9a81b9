import NIOCore

/// A message, header or nested struct with a versioned wire form.
public protocol KafkaProtocolMessage: Sendable, Equatable {
    /// Decodes the value as the given version writes it; throws `ProtocolDecodingError` on
    /// truncated or malformed input.
    init(from buffer: inout ByteBuffer, version: Int16) throws
    /// Encodes the value as the given version writes it. Fields that the version does not have
    /// are left out.
    func encode(into buffer: inout ByteBuffer, version: Int16)
}

/// A request or response body of one API.
public protocol KafkaApiMessage: KafkaProtocolMessage {
    static var apiKey: ApiKey { get }
    static var validVersions: ClosedRange<Int16> { get }
    static func isFlexible(version: Int16) -> Bool
}

/// A request body of one API.
public protocol KafkaRequestMessage: KafkaApiMessage {
    associatedtype Response: KafkaResponseMessage
}

/// A response body of one API.
public protocol KafkaResponseMessage: KafkaApiMessage {}
