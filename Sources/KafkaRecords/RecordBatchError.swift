/// Why a record batch (or legacy message) was rejected. At the broker's handler boundary the codes
/// become Kafka error codes: `corruptMessage` and `truncated` → CORRUPT_MESSAGE (2),
/// `invalidRecord` → INVALID_RECORD (87), `unsupportedCompression` → UNSUPPORTED_COMPRESSION_TYPE (76),
/// `unsupportedMagic` → UNSUPPORTED_FOR_MESSAGE_FORMAT (43).
public struct RecordBatchError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case corruptMessage, invalidRecord, unsupportedCompression, unsupportedMagic, truncated
            case decompressionLimitExceeded
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The checksum does not match the bytes, or a length in the framing is impossible.
        public static let corruptMessage = Code(.corruptMessage)
        /// The checksum matched but the records inside do not parse (bad lengths, wrong count,
        /// leftover bytes, a nested compressed message).
        public static let invalidRecord = Code(.invalidRecord)
        /// The batch uses a codec with no registered implementation.
        public static let unsupportedCompression = Code(.unsupportedCompression)
        /// The magic byte is not one this reader handles.
        public static let unsupportedMagic = Code(.unsupportedMagic)
        /// The bytes end before the batch does, where a whole batch was required.
        public static let truncated = Code(.truncated)
        /// Decompressed records would exceed the caller's limit (a guard against zip bombs).
        public static let decompressionLimitExceeded = Code(.decompressionLimitExceeded)

        public var description: String { "\(base)" }
    }

    public var code: Code
    /// What exactly was wrong, for logs.
    public var detail: String
    /// The base offset (v2) or offset (legacy) written in the batch, when it was readable.
    public var batchOffset: Int64?
    /// Where in the buffer given to the reader the problem was found.
    public var byteOffset: Int?

    public init(_ code: Code, _ detail: String = "", batchOffset: Int64? = nil, byteOffset: Int? = nil) {
        self.code = code
        self.detail = detail
        self.batchOffset = batchOffset
        self.byteOffset = byteOffset
    }

    public var description: String {
        var text = "Invalid record batch (\(code))"
        if let batchOffset { text += " at offset \(batchOffset)" }
        if let byteOffset { text += ", byte \(byteOffset)" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
