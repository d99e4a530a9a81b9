import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// The lz4, zstd and snappy compressors against the Python clients' streams, and the layout of
/// what they write where the clients' readers care (the reverse direction runs the real Python
/// decoders in InteropTests' `CodecInteropTests`).
@Suite(.tags(.pure)) struct PythonCodecVectorTests {
    let allocator = ByteBufferAllocator()

    @Test(arguments: [
        ("kafka-python lz4", CompressionCodec.lz4, PythonCodecVectors.kafkaPythonLZ4),
        ("aiokafka lz4", .lz4, PythonCodecVectors.aiokafkaLZ4),
        ("kafka-python zstd", .zstd, PythonCodecVectors.kafkaPythonZstd),
        ("streamed zstd", .zstd, PythonCodecVectors.streamedZstd),
        ("xerial snappy", .snappy, PythonCodecVectors.kafkaPythonXerialSnappy),
        ("raw snappy", .snappy, PythonCodecVectors.rawSnappy),
    ])
    func pythonStreamsDecompress(name: String, codec: CompressionCodec, stream: ByteBuffer) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        #expect(try compressor.decompress(stream, limit: 1 << 20, allocator: allocator) == PythonCodecVectors.plain, "\(name)")
    }

    @Test(arguments: [
        ("kafka-python lz4", CompressionCodec.lz4, PythonCodecVectors.kafkaPythonLZ4),
        ("aiokafka lz4", .lz4, PythonCodecVectors.aiokafkaLZ4),
        ("kafka-python zstd", .zstd, PythonCodecVectors.kafkaPythonZstd),
        ("streamed zstd", .zstd, PythonCodecVectors.streamedZstd),
        ("raw snappy", .snappy, PythonCodecVectors.rawSnappy),
    ])
    func everyTruncatedStreamIsCorruptMessage(name: String, codec: CompressionCodec, stream: ByteBuffer) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        for length in 0..<stream.readableBytes {
            let prefix = stream.getSlice(at: stream.readerIndex, length: length)!
            #expect(
                errorCode { try compressor.decompress(prefix, limit: 1 << 20, allocator: allocator) } == .corruptMessage,
                "\(name): prefix of \(length) bytes")
        }
    }

    /// A xerial stream cut after its header or after a whole block is a shorter valid stream, as
    /// for every reader of the format; every other cut is corrupt.
    @Test func truncatedXerialStreamsAreCorruptMessageExceptAtBlockBoundaries() throws {
        let stream = PythonCodecVectors.kafkaPythonXerialSnappy
        let snappy = SnappyRecordCompressor()
        for length in 0..<stream.readableBytes where length != 16 {
            let prefix = stream.getSlice(at: stream.readerIndex, length: length)!
            #expect(
                errorCode { try snappy.decompress(prefix, limit: 1 << 20, allocator: allocator) } == .corruptMessage,
                "prefix of \(length) bytes")
        }
        let headerOnly = stream.getSlice(at: stream.readerIndex, length: 16)!
        #expect(try snappy.decompress(headerOnly, limit: 0, allocator: allocator) == ByteBuffer())
    }

    /// Java's reader handles independent 64 KiB blocks only; the header checksum must be right.
    @Test func lz4FramesAreWrittenAsKafkasJavaProducerWritesThem() throws {
        let compressed = try LZ4RecordCompressor().compress(PythonCodecVectors.plain, allocator: allocator)
        let start = compressed.readerIndex
        #expect(compressed.getBytes(at: start, length: 4) == [0x04, 0x22, 0x4D, 0x18])
        let flags = compressed.getInteger(at: start + 4, as: UInt8.self)!
        #expect(flags >> 6 == 1, "version 1")
        #expect(flags & 0x20 != 0, "independent blocks")
        #expect(flags & 0x1F == 0, "no block or content checksum, no content size, no dictionary")
        #expect(compressed.getInteger(at: start + 5, as: UInt8.self) == 0x40, "64 KiB maximum block size")
    }

    /// kafka-python 2.0.2's zstd reader sizes its output from the frame header and falls back to
    /// 1 MiB when the size is missing.
    @Test func zstdFramesStateTheirContentSize() throws {
        let compressed = try ZstdRecordCompressor().compress(PythonCodecVectors.plain, allocator: allocator)
        #expect(compressed.getBytes(at: compressed.readerIndex, length: 4) == [0x28, 0xB5, 0x2F, 0xFD])
        let descriptor = compressed.getInteger(at: compressed.readerIndex + 4, as: UInt8.self)!
        #expect(descriptor >> 6 != 0 || descriptor & 0x20 != 0, "a frame content size field is present")
    }

    /// aiokafka recognises xerial streams only with version 1 and compatible version 1 written
    /// big-endian; blocks hold at most 32 KiB of input, as xerial's Java stream writes.
    @Test func snappyStreamsUseXerialFramingWith32KiBBlocks() throws {
        var input = ByteBuffer()
        for index in 0..<10_000 { input.writeString("record \(index) ") }
        let compressed = try SnappyRecordCompressor().compress(input, allocator: allocator)
        #expect(
            compressed.getBytes(at: compressed.readerIndex, length: 16) == [
                0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1,
            ])
        var blocks = compressed
        blocks.moveReaderIndex(forwardBy: 16)
        var count = 0
        while let length = blocks.readInteger(as: Int32.self) {
            blocks.moveReaderIndex(forwardBy: Int(length))
            count += 1
        }
        #expect(blocks.readableBytes == 0)
        #expect(count == (input.readableBytes + 32 * 1024 - 1) / (32 * 1024))
        #expect(try SnappyRecordCompressor().decompress(compressed, limit: 1 << 20, allocator: allocator) == input)
    }

    @Test func aXerialBlockLengthPastTheEndIsCorruptMessage() throws {
        var stream = PythonCodecVectors.kafkaPythonXerialSnappy
        stream.setInteger(Int32(1000), at: stream.readerIndex + 16)
        #expect(errorCode { try SnappyRecordCompressor().decompress(stream, limit: 1 << 20, allocator: allocator) } == .corruptMessage)
    }
}
