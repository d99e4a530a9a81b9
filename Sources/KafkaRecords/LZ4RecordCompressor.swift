import NIOCore

/// lz4 (codec 3): the LZ4 frame format through liblz4, loaded at run time (Debian's liblz4-1), as
/// Kafka uses it for record batches v2. Without the library every call throws `.unsupportedCompression`.
/// Frames are written as Kafka's Java producer writes them (64 KiB independent blocks, no
/// checksums beyond the header's), since Java's reader supports no linked blocks; any standard
/// frame is read (kafka-python, aiokafka and librdkafka write slightly different ones).
public struct LZ4RecordCompressor: RecordCompressor {
    private let library: Result<LZ4Library, UnavailableCodec>

    public init() {
        self.init(library: LZ4Library.shared)
    }

    init(library: Result<LZ4Library, UnavailableCodec>) {
        self.library = library
    }

    public var codec: CompressionCodec { .lz4 }

    /// lz4 expands incompressible data a little and compresses at best about 255:1; this only
    /// sizes the first output buffer.
    private static let typicalRatio = 4

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let lz4 = try library.loaded()
        var preferences = LZ4FramePreferences()
        preferences.blockSizeID = LZ4Library.maximumBlockSize64KB
        preferences.blockMode = LZ4Library.independentBlocks
        let bound = lz4.compressFrameBound(uncompressed.readableBytes, &preferences)
        return try lz4.compressInOneCall(uncompressed, bound: bound, allocator: allocator) { destination, capacity, source, length in
            lz4.compressFrame(destination, capacity, source, length, &preferences)
        }
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let lz4 = try library.loaded()
        var context: OpaquePointer?
        guard lz4.isError(lz4.createDecompressionContext(&context, LZ4Library.frameAPIVersion)) == 0, let context else {
            throw RecordBatchError(.corruptMessage, "liblz4 could not start decompressing")
        }
        defer { _ = lz4.freeDecompressionContext(context) }
        let expectedSize = Self.typicalRatio * compressed.readableBytes
        return try StreamingDecompression(codecName: "lz4").run(
            compressed, limit: limit, expectedSize: expectedSize, allocator: allocator
        ) { input, output in
            var consumed = input.count
            var produced = output.count
            let hint = lz4.decompress(context, output.baseAddress, &produced, input.baseAddress, &consumed, nil)
            guard lz4.isError(hint) == 0 else {
                return .failed(lz4.errorMessage(hint))
            }
            // liblz4 answers 0 once a frame has ended and all of it was written out.
            return .advanced(consumed: consumed, produced: produced, frameComplete: hint == 0)
        }
    }
}
