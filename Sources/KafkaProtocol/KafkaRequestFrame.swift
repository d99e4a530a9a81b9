import NIOCore

/// A request frame split into its header and the still-encoded body.
public struct KafkaRequestFrame: Sendable {
    public var header: RequestHeader
    /// The body bytes after the header; decode with `decodeBody(_:)`.
    public var body: ByteBuffer

    public var apiKey: ApiKey { ApiKey(rawValue: header.requestApiKey) }
    public var apiVersion: Int16 { header.requestApiVersion }
    public var correlationId: Int32 { header.correlationId }

    /// Parses the header of a frame payload (size prefix already removed). The header version
    /// follows from the API key and version, which are the payload's first four bytes; an API this
    /// library does not know is parsed with header v1, which every non-flexible request uses.
    public init(frame: ByteBuffer) throws {
        var frame = frame
        guard let apiKey = frame.getInteger(at: frame.readerIndex, as: Int16.self),
            let apiVersion = frame.getInteger(at: frame.readerIndex + 2, as: Int16.self)
        else {
            throw ProtocolDecodingError(.truncated, "request header", offset: 0)
        }
        let key = ApiKey(rawValue: apiKey)
        let headerVersion = key.definedVersions.map { _ in key.requestHeaderVersion(for: apiVersion) } ?? 1
        let start = frame.readerIndex
        do {
            self.header = try RequestHeader(from: &frame, version: headerVersion)
        } catch var error as ProtocolDecodingError {
            error.apiKey = key
            error.apiVersion = apiVersion
            error.offset = error.offset.map { $0 - start }
            throw error
        }
        self.body = frame
    }

    /// Decodes the body as `Message` at the frame's version. Throws for a version outside the
    /// message's range or malformed bytes, with the API, version and offset.
    ///
    /// Bytes after the message are ignored, as Kafka's own request parser does: librdkafka 2.16
    /// sends three bytes after a Metadata v12 body, and Kafka accepts it.
    public func decodeBody<Message: KafkaRequestMessage>(_ type: Message.Type = Message.self) throws -> Message {
        try KafkaMessageCodec.decode(Message.self, from: body, version: apiVersion, allowTrailingBytes: true)
    }
}

/// Whole-message encode and decode with the checks every caller needs.
public enum KafkaMessageCodec {
    /// Decodes one message from `bytes`; trailing bytes are an error unless allowed.
    public static func decode<Message: KafkaApiMessage>(
        _ type: Message.Type, from bytes: ByteBuffer, version: Int16, allowTrailingBytes: Bool = false
    ) throws -> Message {
        let apiKey = Message.apiKey
        guard Message.validVersions.contains(version) else {
            throw ProtocolDecodingError(
                .unsupportedVersion, "versions \(Message.validVersions)", apiKey: apiKey, apiVersion: version)
        }
        var buffer = bytes
        let start = buffer.readerIndex
        let message: Message
        do {
            message = try Message(from: &buffer, version: version)
        } catch var error as ProtocolDecodingError {
            error.apiKey = apiKey
            error.apiVersion = version
            error.offset = error.offset.map { $0 - start }
            throw error
        }
        guard buffer.readableBytes == 0 || allowTrailingBytes else {
            throw ProtocolDecodingError(
                .trailingBytes, "\(buffer.readableBytes) bytes after the message", apiKey: apiKey, apiVersion: version,
                offset: buffer.readerIndex - start)
        }
        return message
    }

    /// Encodes a request frame: size prefix, request header, body.
    public static func encodeRequest<Message: KafkaRequestMessage>(
        _ message: Message, version: Int16, correlationId: Int32, clientId: String?, into buffer: inout ByteBuffer
    ) {
        let sizeIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        let header = RequestHeader(
            requestApiKey: Message.apiKey.rawValue, requestApiVersion: version, correlationId: correlationId, clientId: clientId)
        header.encode(into: &buffer, version: Message.apiKey.requestHeaderVersion(for: version))
        message.encode(into: &buffer, version: version)
        buffer.setInteger(Int32(buffer.writerIndex - sizeIndex - 4), at: sizeIndex)
    }

    /// Encodes a response frame: size prefix, response header, body.
    public static func encodeResponse<Message: KafkaResponseMessage>(
        _ message: Message, version: Int16, correlationId: Int32, into buffer: inout ByteBuffer
    ) {
        let sizeIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        ResponseHeader(correlationId: correlationId).encode(into: &buffer, version: Message.apiKey.responseHeaderVersion(for: version))
        message.encode(into: &buffer, version: version)
        buffer.setInteger(Int32(buffer.writerIndex - sizeIndex - 4), at: sizeIndex)
    }

    /// Parses a response frame payload (size prefix removed) whose request was sent at `version`.
    public static func decodeResponse<Message: KafkaResponseMessage>(
        _ type: Message.Type, frame: ByteBuffer, version: Int16
    ) throws -> (correlationId: Int32, message: Message) {
        var buffer = frame
        let header = try ResponseHeader(from: &buffer, version: Message.apiKey.responseHeaderVersion(for: version))
        return (header.correlationId, try decode(Message.self, from: buffer, version: version))
    }
}
