/// The functions of liblz4's frame API (lz4frame.h) that the lz4 codec calls, declared here from
/// the library's stable ABI so that building needs no lz4 headers. `size_t` is `Int`, as Swift
/// imports it; opaque contexts are `OpaquePointer`.
struct LZ4Library: LengthOrErrorCodecLibrary {
    static let codec = CompressionCodec.lz4
    static let standardNames = sharedLibraryNames(linux: "liblz4.so.1", darwin: "liblz4.1.dylib")
    static let debianPackage = "liblz4-1"

    /// Loaded on first use, once per process.
    static let shared = load()

    /// lz4frame.h's `LZ4F_VERSION`: the API version a decompression context is created for.
    static let frameAPIVersion: UInt32 = 100
    /// `LZ4F_max64KB`, the block size Kafka's Java producer writes.
    static let maximumBlockSize64KB: Int32 = 4
    /// `LZ4F_blockIndependent`: Java's reader supports no linked blocks.
    static let independentBlocks: Int32 = 1

    let compressFrameBound: @convention(c) (Int, UnsafeRawPointer?) -> Int
    let compressFrame: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, UnsafeRawPointer?) -> Int
    let isError: @convention(c) (Int) -> UInt32
    let errorName: @convention(c) (Int) -> UnsafePointer<CChar>?
    let createDecompressionContext: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UInt32) -> Int
    let freeDecompressionContext: @convention(c) (OpaquePointer?) -> Int
    /// (context, destination, in: capacity / out: written, source, in: size / out: consumed, options) → hint.
    let decompress:
        @convention(c) (
            OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeRawPointer?, UnsafeMutablePointer<Int>?,
            UnsafeRawPointer?
        ) -> Int

    init(functionsOf library: SharedLibrary) throws(SharedLibraryError) {
        compressFrameBound = try library.function("LZ4F_compressFrameBound")
        compressFrame = try library.function("LZ4F_compressFrame")
        isError = try library.function("LZ4F_isError")
        errorName = try library.function("LZ4F_getErrorName")
        createDecompressionContext = try library.function("LZ4F_createDecompressionContext")
        freeDecompressionContext = try library.function("LZ4F_freeDecompressionContext")
        decompress = try library.function("LZ4F_decompress")
    }
}

/// lz4frame.h's `LZ4F_preferences_t` (with its `LZ4F_frameInfo_t` flattened in front), unchanged
/// since lz4 1.8.3: enums are C `int`s. Swift lays these fields out as C does, in order and at
/// their natural alignment, 56 bytes in all.
struct LZ4FramePreferences {
    var blockSizeID: Int32 = 0
    var blockMode: Int32 = 0
    var contentChecksumFlag: Int32 = 0
    var frameType: Int32 = 0
    var contentSize: UInt64 = 0
    var dictionaryID: UInt32 = 0
    var blockChecksumFlag: Int32 = 0
    var compressionLevel: Int32 = 0
    var autoFlush: UInt32 = 0
    var favorDecompressionSpeed: UInt32 = 0
    var reserved: (UInt32, UInt32, UInt32) = (0, 0, 0)
}

/// The platform's file name of a shared library.
func sharedLibraryNames(linux: String, darwin: String) -> [String] {
    #if canImport(Darwin)
        [darwin]
    #else
        [linux]
    #endif
}
