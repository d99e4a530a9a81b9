import NIOCore

/// Splits a byte stream into Kafka frames (a 4-byte big-endian size, then that many bytes) and
/// hands on each frame's payload without the size prefix.
///
/// A size above `maximumFrameSize` (the broker's `socket.request.max.bytes`) or below the smallest
/// possible header is rejected as soon as the 4 size bytes arrive, before anything is buffered
/// for the claimed length.
public struct KafkaFrameDecoder: ByteToMessageDecoder, NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maximumFrameSize: Int
    /// The smallest meaningful frame: a response header (correlation id).
    public static let minimumFrameSize = 4

    public init(maximumFrameSize: Int) {
        self.maximumFrameSize = maximumFrameSize
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard size >= Self.minimumFrameSize else {
            throw ProtocolDecodingError(.invalidFrameSize, "frame size \(size)", offset: 0)
        }
        guard Int(size) <= maximumFrameSize else {
            throw ProtocolDecodingError(.frameTooLarge, "frame of \(size) bytes, maximum \(maximumFrameSize)", offset: 0)
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size))
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try decode(buffer: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
