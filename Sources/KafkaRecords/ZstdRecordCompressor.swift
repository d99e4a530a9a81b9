import CZstd
import NIOCore

/// zstd (codec 4) through libzstd. Written as one frame with its content size, so that readers
/// which size their output from the frame header (kafka-python 2.0.2) need no fallback; read as
/// any sequence of frames, since Java's streaming reader and kafka-python 3 accept several.
public struct ZstdRecordCompressor: RecordCompressor {
    /// librdkafka's and zstd's default level.
    public static let defaultLevel: Int32 = 3

    public let level: Int32

    public init(level: Int32 = ZstdRecordCompressor.defaultLevel) {
        self.level = level
    }

    public var codec: CompressionCodec { .zstd }

    /// Only size the first output buffer: a frame's stated content size is untrusted, so it is
    /// believed up to `plausibleRatio`, and `typicalRatio` stands in when it is missing or larger.
    private static let typicalRatio = 8
    private static let plausibleRatio = 1024

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let bound = ZSTD_compressBound(uncompressed.readableBytes)
        var output = allocator.buffer(capacity: bound)
        var errorName: String?
        _ = uncompressed.withUnsafeReadableBytes { input in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { free in
                let written = ZSTD_compress(free.baseAddress, bound, input.baseAddress, input.count, level)
                guard ZSTD_isError(written) == 0 else {
                    errorName = String(cString: ZSTD_getErrorName(written))
                    return 0
                }
                return written
            }
        }
        if let errorName {
            throw RecordBatchError(.invalidRecord, "zstd compression failed: \(errorName)")
        }
        return output
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        guard let context = ZSTD_createDCtx() else {
            throw RecordBatchError(.corruptMessage, "libzstd could not start decompressing")
        }
        defer { ZSTD_freeDCtx(context) }
        let declaredSize = compressed.withUnsafeReadableBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // "Unknown" and "error" are huge unsigned values, so the bound covers them as well.
        let plausibleSize = UInt64(min(limit, Self.plausibleRatio * compressed.readableBytes))
        let expectedSize = declaredSize <= plausibleSize ? Int(declaredSize) : Self.typicalRatio * compressed.readableBytes
        return try StreamingDecompression(codecName: "zstd").run(
            compressed, limit: limit, expectedSize: expectedSize, allocator: allocator
        ) { input, output in
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
            guard ZSTD_isError(hint) == 0 else {
                return .failed(String(cString: ZSTD_getErrorName(hint)))
            }
            // libzstd answers 0 once a frame is fully decoded and flushed.
            return .advanced(consumed: inBuffer.pos, produced: outBuffer.pos, frameComplete: hint == 0)
        }
    }
}
