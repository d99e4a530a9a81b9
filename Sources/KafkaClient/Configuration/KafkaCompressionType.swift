/// kafka-python's `compression_type`: the codec a producer compresses each batch with, any of
/// Kafka's (KafkaRecords implements all four).
public struct KafkaCompressionType: Hashable, Sendable, CustomStringConvertible {
    /// The codec id in the batch attributes (bits 0-2).
    public let codecId: UInt8
    public let name: String

    private init(codecId: UInt8, name: String) {
        self.codecId = codecId
        self.name = name
    }

    public static let none = KafkaCompressionType(codecId: 0, name: "none")
    public static let gzip = KafkaCompressionType(codecId: 1, name: "gzip")
    public static let snappy = KafkaCompressionType(codecId: 2, name: "snappy")
    public static let lz4 = KafkaCompressionType(codecId: 3, name: "lz4")
    public static let zstd = KafkaCompressionType(codecId: 4, name: "zstd")

    /// Parses Kafka's names; "none" and "" mean no compression.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "", "none": self = .none
        case "gzip": self = .gzip
        case "snappy": self = .snappy
        case "lz4": self = .lz4
        case "zstd": self = .zstd
        default: return nil
        }
    }

    public var description: String { name }
}
