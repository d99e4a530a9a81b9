import NIOCore

/// One compression codec's implementation for the records section of a batch (or the value of a
/// legacy wrapper message). Register implementations in a `CompressionCodecRegistry`; lz4, zstd and
/// snappy plug in here without changes to the batch code.
public protocol RecordCompressor: Sendable {
    /// The codec number this implementation handles.
    var codec: CompressionCodec { get }

    /// Compresses the readable bytes of `uncompressed` into one stream, as Kafka's producers do.
    func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer

    /// Decompresses one stream. Throws `.decompressionLimitExceeded` rather than produce more than
    /// `limit` bytes, and `.corruptMessage` when the stream is damaged or incomplete.
    func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer
}
