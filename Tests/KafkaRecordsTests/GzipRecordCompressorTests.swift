import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaRecords

@Suite(.tags(.pure)) struct GzipRecordCompressorTests {
    /// `gzip.compress(b"Samsa speaks Kafka. " * 10, mtime=0)` with Python 3.11's gzip module.
    static let pythonGzip = ByteBuffer(
        hex: """
            1f8b08000000000002030b4ecc2d4e54282e484dcc2e56f04e4ccb4ed453081e826200019b520dc8000000
            """)

    static let pythonGzipInput = String(repeating: "Samsa speaks Kafka. ", count: 10)

    let gzip = GzipRecordCompressor()
    let allocator = ByteBufferAllocator()

    @Test func pythonsGzipOutputDecompresses() throws {
        let plain = try gzip.decompress(Self.pythonGzip, limit: 1 << 20, allocator: allocator)
        #expect(plain == ByteBuffer(string: Self.pythonGzipInput))
    }

    /// Python's `gzip.decompress` accepted this output when checked by hand; the test checks what
    /// it checks: the gzip magic and deflate method, then a trailer with the CRC-32 and size of
    /// the input.
    @Test func ourOutputIsAStandardGzipStream() throws {
        let input = ByteBuffer(string: Self.pythonGzipInput)
        let compressed = try gzip.compress(input, allocator: allocator)
        #expect(compressed.getBytes(at: compressed.readerIndex, length: 3) == [0x1F, 0x8B, 0x08])
        let trailerIndex = compressed.writerIndex - 8
        #expect(compressed.getInteger(at: trailerIndex, endianness: .little, as: UInt32.self) == CRC32.checksum(input))
        let sizeInTrailer = compressed.getInteger(at: trailerIndex + 4, endianness: .little, as: UInt32.self)
        #expect(sizeInTrailer == UInt32(input.readableBytes))
        #expect(try gzip.decompress(compressed, limit: 1 << 20, allocator: allocator) == input)
    }

    @Test func everyTruncatedStreamIsCorruptMessage() {
        let stream = Self.pythonGzip
        for length in 0..<stream.readableBytes {
            let prefix = stream.getSlice(at: stream.readerIndex, length: length)!
            #expect(
                errorCode { try gzip.decompress(prefix, limit: 1 << 20, allocator: allocator) } == .corruptMessage,
                "prefix of \(length) bytes")
        }
    }

    @Test func theLimitIsInclusive() throws {
        let size = Self.pythonGzipInput.utf8.count
        let plain = try gzip.decompress(Self.pythonGzip, limit: size, allocator: allocator)
        #expect(plain.readableBytes == size)
        #expect(
            errorCode { try gzip.decompress(Self.pythonGzip, limit: size - 1, allocator: allocator) }
                == .decompressionLimitExceeded)
    }

    @Test func concatenatedMembersDecompressAsOneStream() throws {
        var twoMembers = Self.pythonGzip
        twoMembers.writeImmutableBuffer(Self.pythonGzip)
        let plain = try gzip.decompress(twoMembers, limit: 1 << 20, allocator: allocator)
        #expect(plain == ByteBuffer(string: Self.pythonGzipInput + Self.pythonGzipInput))
    }

    @Test func bytesAfterTheStreamThatAreNotGzipAreCorruptMessage() {
        var withGarbage = Self.pythonGzip
        withGarbage.writeString("garbage")
        #expect(errorCode { try gzip.decompress(withGarbage, limit: 1 << 20, allocator: allocator) } == .corruptMessage)
    }

    @Test func emptyInputCompressesAndDecompresses() throws {
        let compressed = try gzip.compress(ByteBuffer(), allocator: allocator)
        #expect(try gzip.decompress(compressed, limit: 0, allocator: allocator) == ByteBuffer())
    }

    /// Deterministic bytes that do not compress on their own.
    private static func noise(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [1, 511, 512, 513, 4_096, 40_000, 1 << 20])
    func everySizeRoundTrips(size: Int) throws {
        let input = ByteBuffer(bytes: Self.noise(count: size, seed: UInt64(size)))
        let compressed = try gzip.compress(input, allocator: allocator)
        #expect(try gzip.decompress(compressed, limit: size, allocator: allocator) == input)
    }

    /// The window is sized to the input, so it must still reach back over all of it: noise repeated
    /// once compresses to about half its size only if the repeat is found (else to all of it).
    @Test(arguments: [300, 1_000, 5_000, 20_000, 64_000])
    func aRepeatAcrossTheWholeInputIsFound(size: Int) throws {
        let half = Self.noise(count: size / 2, seed: 7)
        let input = ByteBuffer(bytes: half + half)
        let compressed = try gzip.compress(input, allocator: allocator)
        // Half, plus about 3 bytes per 258-byte match and the gzip header and trailer.
        #expect(compressed.readableBytes < size / 2 + size / 50 + 40)
        #expect(try gzip.decompress(compressed, limit: size, allocator: allocator) == input)
    }

    @Test func theWindowGrowsWithTheInputWithinZlibsLimits() {
        #expect(GzipRecordCompressor.windowBits(forInputSize: 0) == 9)
        #expect(GzipRecordCompressor.windowBits(forInputSize: 250) == 9)
        #expect(GzipRecordCompressor.windowBits(forInputSize: 251) == 10)
        #expect(GzipRecordCompressor.windowBits(forInputSize: 32_768 - 262) == 15)
        #expect(GzipRecordCompressor.windowBits(forInputSize: 1 << 30) == 15)
    }
}
