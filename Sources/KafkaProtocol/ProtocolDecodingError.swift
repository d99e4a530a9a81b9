import NIOCore

/// Why bytes could not be decoded as a Kafka message.
///
/// Decoding never traps on malformed input: every primitive read checks the remaining length
/// first, and the frame/request decoders add the API key, version and byte offset.
public struct ProtocolDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case truncated, invalidLength, invalidVarint, unexpectedNull, invalidUTF8
            case trailingBytes, unsupportedVersion, unknownApiKey, frameTooLarge, invalidFrameSize
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input ended before the value did.
        public static let truncated = Code(.truncated)
        /// A length or count is negative (other than the null marker) or larger than the input.
        public static let invalidLength = Code(.invalidLength)
        /// A varint is longer than its type allows.
        public static let invalidVarint = Code(.invalidVarint)
        /// A null where the version does not allow one.
        public static let unexpectedNull = Code(.unexpectedNull)
        /// A string is not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// The message ended before the frame did.
        public static let trailingBytes = Code(.trailingBytes)
        /// The API version is outside the range this library knows.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The API key is not one this library knows.
        public static let unknownApiKey = Code(.unknownApiKey)
        /// The size prefix is above the configured maximum.
        public static let frameTooLarge = Code(.frameTooLarge)
        /// The size prefix is negative or too small to hold a header.
        public static let invalidFrameSize = Code(.invalidFrameSize)

        public var description: String { "\(base)" }
    }

    public var code: Code
    /// The API of the message being decoded, when known.
    public var apiKey: ApiKey?
    /// The API version of the message being decoded, when known.
    public var apiVersion: Int16?
    /// Byte offset in the message (or frame) where decoding stopped.
    public var offset: Int?
    public var detail: String

    public init(_ code: Code, _ detail: String = "", apiKey: ApiKey? = nil, apiVersion: Int16? = nil, offset: Int? = nil) {
        self.code = code
        self.detail = detail
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.offset = offset
    }

    public var description: String {
        var text = "Kafka protocol decoding failed (\(code))"
        if let apiKey { text += " in \(apiKey)" }
        if let apiVersion { text += " v\(apiVersion)" }
        if let offset { text += " at byte \(offset)" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
