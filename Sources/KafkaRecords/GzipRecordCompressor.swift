import NIOCore

/// gzip (codec 1), through zlib directly (see `deflate` and `inflate`).
public struct GzipRecordCompressor: RecordCompressor {
    public init() {}

    public var codec: CompressionCodec { .gzip }

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        try deflate(uncompressed, allocator: allocator)
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        try inflate(compressed, limit: limit, allocator: allocator)
    }
}
