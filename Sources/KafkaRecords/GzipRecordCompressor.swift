import CompressNIO
import NIOCore

/// gzip (codec 1): compression through compress-nio, decompression through zlib directly
/// (see `inflate`).
public struct GzipRecordCompressor: RecordCompressor {
    public init() {}

    public var codec: CompressionCodec { .gzip }

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        var input = uncompressed
        do {
            return try input.compress(with: .gzip(), allocator: allocator)
        } catch {
            throw RecordBatchError(.invalidRecord, "gzip compression failed: \(error)")
        }
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        try inflate(compressed, limit: limit, allocator: allocator)
    }
}
