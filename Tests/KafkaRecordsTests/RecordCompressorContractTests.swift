import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// What every built-in codec promises through `RecordCompressor`: round trips, an inclusive
/// decompression limit that holds against data which compresses extremely well, and errors (not
/// crashes or silent truncation) for damaged input.
@Suite(.tags(.pure)) struct RecordCompressorContractTests {
    static let codecs: [CompressionCodec] = [.gzip, .snappy, .lz4, .zstd]

    let allocator = ByteBufferAllocator()

    /// Larger than one xerial block and one lz4 block, and not all alike.
    static let mixedInput: ByteBuffer = {
        var buffer = ByteBuffer()
        for index in 0..<20_000 { buffer.writeString("record \(index * 7919 % 10_007);") }
        return buffer
    }()

    @Test(arguments: codecs)
    func roundTrips(codec: CompressionCodec) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        #expect(compressor.codec == codec)
        for input in [Self.mixedInput, ByteBuffer(string: "x"), ByteBuffer()] {
            let compressed = try compressor.compress(input, allocator: allocator)
            #expect(try compressor.decompress(compressed, limit: input.readableBytes, allocator: allocator) == input)
        }
        #expect(try compressor.compress(Self.mixedInput, allocator: allocator).readableBytes < Self.mixedInput.readableBytes / 2)
    }

    @Test(arguments: codecs)
    func theLimitIsInclusive(codec: CompressionCodec) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        let size = Self.mixedInput.readableBytes
        let compressed = try compressor.compress(Self.mixedInput, allocator: allocator)
        #expect(try compressor.decompress(compressed, limit: size, allocator: allocator).readableBytes == size)
        #expect(errorCode { try compressor.decompress(compressed, limit: size - 1, allocator: allocator) } == .decompressionLimitExceeded)
    }

    /// 16 MiB of zeros compress to a few KiB: the limit must stop the decoder, whatever the frame
    /// header claims.
    @Test(arguments: codecs)
    func highlyCompressibleDataStopsAtTheLimit(codec: CompressionCodec) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        let zeros = ByteBuffer(repeating: 0, count: 16 << 20)
        let compressed = try compressor.compress(zeros, allocator: allocator)
        #expect(compressed.readableBytes < 1 << 20)
        #expect(errorCode { try compressor.decompress(compressed, limit: 1 << 20, allocator: allocator) } == .decompressionLimitExceeded)
    }

    @Test(arguments: codecs)
    func garbageAfterTheStreamIsCorruptMessage(codec: CompressionCodec) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        var stream = try compressor.compress(ByteBuffer(string: "some records"), allocator: allocator)
        stream.writeString("garbage!")
        #expect(errorCode { try compressor.decompress(stream, limit: 1 << 20, allocator: allocator) } == .corruptMessage)
    }

    @Test(arguments: codecs)
    func garbageIsCorruptMessage(codec: CompressionCodec) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        let garbage = ByteBuffer(string: "this was never compressed by anything")
        #expect(errorCode { try compressor.decompress(garbage, limit: 1 << 20, allocator: allocator) } == .corruptMessage)
    }

    /// Kafka's readers accept several frames one after another (Java's streams read on, and
    /// librdkafka loops over lz4 frames); a producer may write them.
    @Test(arguments: [CompressionCodec.lz4, .zstd])
    func concatenatedFramesDecompressAsOneStream(codec: CompressionCodec) throws {
        let compressor = try CompressionCodecRegistry.builtIn.compressor(for: codec)
        var twoFrames = try compressor.compress(ByteBuffer(string: "first "), allocator: allocator)
        twoFrames.writeImmutableBuffer(try compressor.compress(ByteBuffer(string: "second"), allocator: allocator))
        #expect(try compressor.decompress(twoFrames, limit: 1 << 20, allocator: allocator) == ByteBuffer(string: "first second"))
    }
}
