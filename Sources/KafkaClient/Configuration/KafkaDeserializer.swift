import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// kafka-python's `key_deserializer` / `value_deserializer`: turns a record's bytes into the
/// `key` / `value` of a `KafkaConsumerRecord`. A null key or value stays nil.
public struct KafkaDeserializer: Sendable {
    private let body: @Sendable (ByteBuffer) throws -> any Sendable

    public init<Output: Sendable>(_ deserialize: @escaping @Sendable (ByteBuffer) throws -> Output) {
        self.body = deserialize
    }

    func deserialize(_ bytes: ByteBuffer) throws(KafkaError) -> any Sendable {
        do {
            return try body(bytes)
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError(.serializationFailed, "deserializing \(bytes.readableBytes) bytes failed", underlying: error)
        }
    }

    /// The bytes as a `ByteBuffer` (kafka-python without a deserializer returns `bytes`). The default.
    public static let bytes = KafkaDeserializer { $0 }

    /// The bytes as a UTF-8 `String`; invalid UTF-8 is repaired with replacement characters.
    public static let utf8 = KafkaDeserializer { String(buffer: $0) }

    /// The bytes as JSON decoded into `type`.
    public static func json<T: Decodable & Sendable>(_ type: T.Type) -> KafkaDeserializer {
        KafkaDeserializer { buffer in try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView)) }
    }
}
