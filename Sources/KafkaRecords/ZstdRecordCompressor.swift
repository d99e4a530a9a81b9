import NIOCore

/// zstd (codec 4) through libzstd, loaded at run time (Debian's libzstd1); without the library
/// every call throws `.unsupportedCompression`. Written as one frame with its content size, so that readers
/// which size their output from the frame header (kafka-python 2.0.2) need no fallback; read as
/// any sequence of frames, since Java's streaming reader and kafka-python 3 accept several.
public struct ZstdRecordCompressor: RecordCompressor {
    /// librdkafka's and zstd's default level.
    public static let defaultLevel: Int32 = 3

    public let level: Int32
    private let library: Result<ZstdLibrary, UnavailableCodec>

    public init(level: Int32 = ZstdRecordCompressor.defaultLevel) {
        self.init(level: level, library: ZstdLibrary.shared)
    }

    init(level: Int32 = ZstdRecordCompressor.defaultLevel, library: Result<ZstdLibrary, UnavailableCodec>) {
        self.level = level
        self.library = library
    }

    public var codec: CompressionCodec { .zstd }

    /// Only size the first output buffer: a frame's stated content size is untrusted, so it is
    /// believed up to `plausibleRatio`, and `typicalRatio` stands in when it is missing or larger.
    private static let typicalRatio = 8
    private static let plausibleRatio = 1024

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let zstd = try library.loaded()
        let bound = zstd.compressBound(uncompressed.readableBytes)
        return try zstd.compressInOneCall(uncompressed, bound: bound, allocator: allocator) { destination, capacity, source, length in
            zstd.compress(destination, capacity, source, length, level)
        }
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let zstd = try library.loaded()
        guard let context = zstd.createDecompressionContext() else {
            throw RecordBatchError(.corruptMessage, "libzstd could not start decompressing")
        }
        defer { _ = zstd.freeDecompressionContext(context) }
        let declaredSize = compressed.withUnsafeReadableBytes { zstd.frameContentSize($0.baseAddress, $0.count) }
        // "Unknown" and "error" are huge unsigned values, so the bound covers them as well.
        let plausibleSize = UInt64(min(limit, Self.plausibleRatio * compressed.readableBytes))
        let expectedSize = declaredSize <= plausibleSize ? Int(declaredSize) : Self.typicalRatio * compressed.readableBytes
        return try StreamingDecompression(codecName: "zstd").run(
            compressed, limit: limit, expectedSize: expectedSize, allocator: allocator
        ) { input, output in
            var inBuffer = ZstdInputBuffer(source: input.baseAddress, size: input.count, position: 0)
            var outBuffer = ZstdOutputBuffer(destination: output.baseAddress, size: output.count, position: 0)
            let hint = zstd.decompressStream(context, &outBuffer, &inBuffer)
            guard zstd.isError(hint) == 0 else {
                return .failed(zstd.errorMessage(hint))
            }
            // libzstd answers 0 once a frame is fully decoded and flushed.
            return .advanced(consumed: inBuffer.position, produced: outBuffer.position, frameComplete: hint == 0)
        }
    }
}
