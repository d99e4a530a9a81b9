import NIOCore

/// A record header: a string key and a nullable value (kafka-python's `(str, bytes)` pairs).
public struct KafkaHeader: Hashable, Sendable {
    public var key: String
    public var value: ByteBuffer?

    public init(key: String, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }

    public init(key: String, value: String) {
        self.init(key: key, value: ByteBuffer(string: value))
    }
}
