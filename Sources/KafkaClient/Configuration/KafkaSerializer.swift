import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// kafka-python's `key_serializer` / `value_serializer`: turns what is passed to `send` into the
/// bytes of the record. A nil key or value is never serialized; it stays null on the wire.
public struct KafkaSerializer: Sendable {
    private let body: @Sendable (any Sendable) throws -> ByteBuffer

    /// A serializer for values of type `Input`; other values fail with `serializationFailed`.
    public init<Input>(_ serialize: @escaping @Sendable (Input) throws -> ByteBuffer) {
        self.body = { value in
            guard let input = value as? Input else {
                throw KafkaError(.serializationFailed, "the serializer takes \(Input.self), not \(type(of: value))")
            }
            return try serialize(input)
        }
    }

    func serialize(_ value: any Sendable) throws(KafkaError) -> ByteBuffer {
        do {
            return try body(value)
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError(.serializationFailed, "serializing a \(type(of: value)) failed", underlying: error)
        }
    }

    /// Bytes as they are: `ByteBuffer`, `[UInt8]`, or a `String` as UTF-8. The default, since
    /// kafka-python without a serializer sends `bytes` as they are.
    public static let bytes = KafkaSerializer { (value: any Sendable) throws -> ByteBuffer in
        switch value {
        case let buffer as ByteBuffer: return buffer
        case let bytes as [UInt8]: return ByteBuffer(bytes: bytes)
        case let string as String: return ByteBuffer(string: string)
        default: throw KafkaError(.serializationFailed, "without a serializer, send ByteBuffer, [UInt8] or String, not \(type(of: value))")
        }
    }

    /// A `String` as UTF-8 (kafka-python: `lambda s: s.encode('utf-8')`).
    public static let utf8 = KafkaSerializer { (string: String) in ByteBuffer(string: string) }

    /// Any `Encodable` value as JSON (kafka-python: `lambda v: json.dumps(v).encode('utf-8')`).
    public static let json = KafkaSerializer { (value: any Encodable) in
        ByteBuffer(bytes: try JSONEncoder().encode(value))
    }
}
