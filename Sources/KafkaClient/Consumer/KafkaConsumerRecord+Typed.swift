import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension KafkaConsumerRecord {
    /// The value as `type`: what the value deserializer made when it is already one, else the
    /// bytes (the default `.bytes` deserializer) converted: to `String` as UTF-8, to `[UInt8]` or
    /// `ByteBuffer` as they are, and to any other `Decodable` type from JSON. Nil for a null value.
    ///
    /// ```swift
    /// let order = try record.value(as: Order.self)
    /// ```
    ///
    /// A value that cannot be converted throws `serializationFailed` naming the record's partition
    /// and offset.
    public func value<Value>(as type: Value.Type = Value.self) throws(KafkaError) -> Value? {
        try convert(value, to: type, part: "value")
    }

    /// The key as `type`, converted as `value(as:)` converts the value. Nil for a null key.
    public func key<Key>(as type: Key.Type = Key.self) throws(KafkaError) -> Key? {
        try convert(key, to: type, part: "key")
    }

    private func convert<Target>(_ deserialized: (any Sendable)?, to type: Target.Type, part: String) throws(KafkaError) -> Target? {
        guard let deserialized else { return nil }
        if let converted = deserialized as? Target { return converted }
        if let bytes = deserialized as? ByteBuffer {
            if Target.self == String.self { return String(buffer: bytes) as? Target }
            if Target.self == [UInt8].self { return Array(bytes.readableBytesView) as? Target }
            if let decodable = Target.self as? any Decodable.Type {
                do {
                    return try JSONDecoder().decode(decodable, from: Data(bytes.readableBytesView)) as? Target
                } catch {
                    throw failure("the \(part) is not JSON for \(Target.self)", underlying: error)
                }
            }
        }
        throw failure("the \(part) is a \(Swift.type(of: deserialized)), not a \(Target.self)", underlying: nil)
    }

    private func failure(_ message: String, underlying: (any Error)?) -> KafkaError {
        var error = KafkaError(.serializationFailed, "\(message) (\(topicPartition) at offset \(offset))", underlying: underlying)
        error.topicPartition = topicPartition
        error.offset = offset
        return error
    }
}
