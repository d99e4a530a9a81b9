/// The C interface of libsnappy (snappy-c.h) that the snappy codec calls, declared here from the
/// library's ABI so that building needs no snappy headers. The functions return a
/// `snappy_status`, a C enum: 0 is `SNAPPY_OK`.
struct SnappyLibrary: CodecLibrary {
    static let codec = CompressionCodec.snappy
    static let standardNames = sharedLibraryNames(linux: "libsnappy.so.1", darwin: "libsnappy.1.dylib")
    static let debianPackage = "libsnappy1v5"

    /// Loaded on first use, once per process.
    static let shared = load()

    static let ok: Int32 = 0

    /// (input, input length, output, in: capacity / out: written) → status.
    let compress: @convention(c) (UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?) -> Int32
    /// (compressed, compressed length, output, in: capacity / out: written) → status.
    let uncompress: @convention(c) (UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?) -> Int32
    let maxCompressedLength: @convention(c) (Int) -> Int
    /// (compressed, compressed length, out: the length its preamble states) → status.
    let uncompressedLength: @convention(c) (UnsafeRawPointer?, Int, UnsafeMutablePointer<Int>?) -> Int32

    init(functionsOf library: SharedLibrary) throws(SharedLibraryError) {
        compress = try library.function("snappy_compress")
        uncompress = try library.function("snappy_uncompress")
        maxCompressedLength = try library.function("snappy_max_compressed_length")
        uncompressedLength = try library.function("snappy_uncompressed_length")
    }
}
