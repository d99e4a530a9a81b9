/// A compression codec as numbered in the attributes of a record batch (bits 0-2) or a legacy
/// message. Open like `ErrorCode`: a batch with a codec this library has no implementation for
/// still parses, and decoding its records fails with `.unsupportedCompression`.
public struct CompressionCodec: Hashable, Sendable, CustomStringConvertible {
    /// The 3-bit attribute value.
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue & CompressionCodec.attributeMask
    }

    /// The bits of the attributes that hold the codec.
    static let attributeMask: UInt8 = 0x07

    public static let none = CompressionCodec(rawValue: 0)
    public static let gzip = CompressionCodec(rawValue: 1)
    public static let snappy = CompressionCodec(rawValue: 2)
    public static let lz4 = CompressionCodec(rawValue: 3)
    public static let zstd = CompressionCodec(rawValue: 4)

    /// Kafka's name (`compression.type`), or the number for codecs Kafka does not define.
    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        default: "codec \(rawValue)"
        }
    }
}
