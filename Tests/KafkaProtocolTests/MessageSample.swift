import KafkaProtocol
import NIOCore
import Testing

/// A populated message with its type erased, so that one parameterised test covers every API.
struct MessageSample: Sendable, CustomTestStringConvertible {
    let name: String
    let versions: ClosedRange<Int16>
    let isFlexible: @Sendable (Int16) -> Bool
    let encode: @Sendable (Int16) -> ByteBuffer
    /// Decodes the bytes as this message at the version and encodes the result again.
    let decodeAndEncode: @Sendable (ByteBuffer, Int16) throws -> ByteBuffer

    init<Message: KafkaApiMessage>(_ message: Message) {
        self.name = "\(Message.self)"
        self.versions = Message.validVersions
        self.isFlexible = { Message.isFlexible(version: $0) }
        self.encode = { version in
            var buffer = ByteBuffer()
            message.encode(into: &buffer, version: version)
            return buffer
        }
        self.decodeAndEncode = { bytes, version in
            let decoded = try KafkaMessageCodec.decode(Message.self, from: bytes, version: version)
            var buffer = ByteBuffer()
            decoded.encode(into: &buffer, version: version)
            return buffer
        }
    }

    var testDescription: String { name }
}
