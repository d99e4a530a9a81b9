import CLZ4
import NIOCore

/// lz4 (codec 3): the LZ4 frame format through liblz4, as Kafka uses it for record batches v2.
/// Frames are written as Kafka's Java producer writes them (64 KiB independent blocks, no
/// checksums beyond the header's), since Java's reader supports no linked blocks; any standard
/// frame is read (kafka-python, aiokafka and librdkafka write slightly different ones).
public struct LZ4RecordCompressor: RecordCompressor {
    public init() {}

    public var codec: CompressionCodec { .lz4 }

    /// lz4 expands incompressible data a little and compresses at best about 255:1; this only
    /// sizes the first output buffer.
    private static let typicalRatio = 4

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        let bound = LZ4F_compressFrameBound(uncompressed.readableBytes, &preferences)
        var output = allocator.buffer(capacity: bound)
        var errorName: String?
        _ = uncompressed.withUnsafeReadableBytes { input in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { free in
                let written = LZ4F_compressFrame(free.baseAddress, bound, input.baseAddress, input.count, &preferences)
                guard LZ4F_isError(written) == 0 else {
                    errorName = String(cString: LZ4F_getErrorName(written))
                    return 0
                }
                return written
            }
        }
        if let errorName {
            throw RecordBatchError(.invalidRecord, "lz4 compression failed: \(errorName)")
        }
        return output
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw RecordBatchError(.corruptMessage, "liblz4 could not start decompressing")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        let expectedSize = Self.typicalRatio * compressed.readableBytes
        return try StreamingDecompression(codecName: "lz4").run(
            compressed, limit: limit, expectedSize: expectedSize, allocator: allocator
        ) { input, output in
            var consumed = input.count
            var produced = output.count
            let hint = LZ4F_decompress(context, output.baseAddress, &produced, input.baseAddress, &consumed, nil)
            guard LZ4F_isError(hint) == 0 else {
                return .failed(String(cString: LZ4F_getErrorName(hint)))
            }
            // liblz4 answers 0 once a frame has ended and all of it was written out.
            return .advanced(consumed: consumed, produced: produced, frameComplete: hint == 0)
        }
    }
}
