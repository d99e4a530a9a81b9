import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaRecords

/// lz4, zstd and snappy load their libraries at run time; a library that cannot be loaded takes
/// away its own codec and nothing else.
@Suite(.tags(.pure)) struct CodecLibraryLoadingTests {
    let allocator = ByteBufferAllocator()
    static let missingLibraryName = "libsamsa-test-no-such-library.so.1"

    /// A registry as a machine without liblz4 has it.
    static func registryWithoutLZ4() -> CompressionCodecRegistry {
        CompressionCodecRegistry(
            snappy: SnappyLibrary.load(), lz4: LZ4Library.load(names: [missingLibraryName]), zstd: ZstdLibrary.load())
    }

    @Test func aLibraryThatCannotBeFoundMakesOnlyItsCodecUnavailable() throws {
        let codecs = Self.registryWithoutLZ4()
        #expect(!codecs.supports(.lz4))
        #expect(codecs.unavailableCodecs.map(\.codec) == [.lz4])
        let unavailable = try #require(codecs.unavailability(of: .lz4))
        #expect(unavailable.libraryNames == [Self.missingLibraryName])
        #expect(unavailable.debianPackage == "liblz4-1")
        #expect(unavailable.reason.contains(Self.missingLibraryName))
        #expect("\(unavailable)".hasPrefix("lz4 compression is unavailable"))

        let error = #expect(throws: RecordBatchError.self) { try codecs.compressor(for: .lz4) }
        #expect(error?.code == .unsupportedCompression)
        #expect(error?.detail.contains("liblz4-1") == true)

        let plain = ByteBuffer(string: String(repeating: "every other codec still works; ", count: 100))
        for codec in [CompressionCodec.none, .gzip, .snappy, .zstd] {
            #expect(codecs.supports(codec))
        }
        for codec in [CompressionCodec.gzip, .snappy, .zstd] {
            let compressor = try codecs.compressor(for: codec)
            let compressed = try compressor.compress(plain, allocator: allocator)
            #expect(try compressor.decompress(compressed, limit: 1 << 20, allocator: allocator) == plain)
        }
    }

    private static func oneRecordBatch(_ codec: CompressionCodec, codecs: CompressionCodecRegistry) throws(RecordBatchError) -> ByteBuffer {
        var builder = RecordBatchBuilder(compression: codec, baseOffset: 0, codecs: codecs)
        builder.append(timestamp: 1, key: nil, value: ByteBuffer(string: "v"))
        return try builder.build()
    }

    @Test func aBatchInTheMissingCodecIsRefusedAndOthersAreBuilt() throws {
        let codecs = Self.registryWithoutLZ4()
        let error = #expect(throws: RecordBatchError.self) { try Self.oneRecordBatch(.lz4, codecs: codecs) }
        #expect(error?.code == .unsupportedCompression)

        let batch = try RecordBatch(try Self.oneRecordBatch(.zstd, codecs: codecs))
        #expect(try batch.records(codecs: codecs).map(\.value) == [ByteBuffer(string: "v")])
    }

    @Test func aCompressorWithoutItsLibraryThrowsInsteadOfCrashing() {
        let compressor = LZ4RecordCompressor(library: LZ4Library.load(names: [Self.missingLibraryName]))
        let compressError = #expect(throws: RecordBatchError.self) {
            try compressor.compress(ByteBuffer(string: "x"), allocator: allocator)
        }
        #expect(compressError?.code == .unsupportedCompression)
        let decompressError = #expect(throws: RecordBatchError.self) {
            try compressor.decompress(ByteBuffer(bytes: [0x04, 0x22, 0x4D, 0x18]), limit: 100, allocator: allocator)
        }
        #expect(decompressError?.code == .unsupportedCompression)
    }

    @Test func aLibraryWithoutTheFunctionsNeededIsUnavailable() throws {
        // libzstd loads, but has none of lz4's frame functions.
        let unavailable = try #require(LZ4Library.load(names: ZstdLibrary.standardNames).failure)
        #expect(unavailable.reason.contains("LZ4F_"))
    }

    @Test func theNamesAreTriedInOrder() throws {
        let loaded = LZ4Library.load(names: [Self.missingLibraryName] + LZ4Library.standardNames)
        let compressor = LZ4RecordCompressor(library: loaded)
        let plain = ByteBuffer(string: "found on the second name")
        let compressed = try compressor.compress(plain, allocator: allocator)
        #expect(try compressor.decompress(compressed, limit: 1 << 10, allocator: allocator) == plain)
    }

    /// The declarations stand in for the C headers: their layout must be the C one.
    @Test func declaredStructuresHaveTheCLayout() {
        #expect(MemoryLayout<LZ4FramePreferences>.size == 56)
        #expect(MemoryLayout<LZ4FramePreferences>.offset(of: \.contentSize) == 16)
        #expect(MemoryLayout<LZ4FramePreferences>.offset(of: \.compressionLevel) == 32)
        #expect(MemoryLayout<ZstdInputBuffer>.size == 3 * MemoryLayout<Int>.size)
        #expect(MemoryLayout<ZstdOutputBuffer>.offset(of: \.position) == 2 * MemoryLayout<Int>.size)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
