/// The functions of libzstd (zstd.h's stable API) that the zstd codec calls, declared here from
/// the library's ABI so that building needs no zstd headers.
struct ZstdLibrary: LengthOrErrorCodecLibrary {
    static let codec = CompressionCodec.zstd
    static let standardNames = sharedLibraryNames(linux: "libzstd.so.1", darwin: "libzstd.1.dylib")
    static let debianPackage = "libzstd1"

    /// Loaded on first use, once per process.
    static let shared = load()

    let compressBound: @convention(c) (Int) -> Int
    let compress: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, Int32) -> Int
    let isError: @convention(c) (Int) -> UInt32
    let errorName: @convention(c) (Int) -> UnsafePointer<CChar>?
    let createDecompressionContext: @convention(c) () -> OpaquePointer?
    let freeDecompressionContext: @convention(c) (OpaquePointer?) -> Int
    /// `ZSTD_CONTENTSIZE_UNKNOWN` and `ZSTD_CONTENTSIZE_ERROR` are the two largest values.
    let frameContentSize: @convention(c) (UnsafeRawPointer?, Int) -> UInt64
    /// (context, `ZstdOutputBuffer*`, `ZstdInputBuffer*`) → hint, 0 once a frame is complete.
    let decompressStream: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int

    init(functionsOf library: SharedLibrary) throws(SharedLibraryError) {
        compressBound = try library.function("ZSTD_compressBound")
        compress = try library.function("ZSTD_compress")
        isError = try library.function("ZSTD_isError")
        errorName = try library.function("ZSTD_getErrorName")
        createDecompressionContext = try library.function("ZSTD_createDCtx")
        freeDecompressionContext = try library.function("ZSTD_freeDCtx")
        frameContentSize = try library.function("ZSTD_getFrameContentSize")
        decompressStream = try library.function("ZSTD_decompressStream")
    }
}

/// zstd.h's `ZSTD_inBuffer`: three machine words, laid out by Swift as by C.
struct ZstdInputBuffer {
    var source: UnsafeRawPointer?
    var size: Int
    var position: Int
}

/// zstd.h's `ZSTD_outBuffer`.
struct ZstdOutputBuffer {
    var destination: UnsafeMutableRawPointer?
    var size: Int
    var position: Int
}
