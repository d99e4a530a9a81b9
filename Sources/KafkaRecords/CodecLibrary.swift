import NIOCore

/// A compression library that a codec loads at run time: lz4, zstd and snappy come from Debian's
/// small runtime packages, which a fresh machine may lack, while gzip is always built in.
protocol CodecLibrary: Sendable {
    /// The codec that needs the library.
    static var codec: CompressionCodec { get }
    /// The library's file names, tried in order.
    static var standardNames: [String] { get }
    /// The Debian package that installs it.
    static var debianPackage: String { get }

    /// Looks up every function the codec calls.
    init(functionsOf library: SharedLibrary) throws(SharedLibraryError)
}

extension CodecLibrary {
    /// Loads the library from the first of `names` that opens and has every function needed.
    static func load(names: [String] = standardNames) -> Result<Self, UnavailableCodec> {
        do throws(SharedLibraryError) {
            return .success(try Self(functionsOf: SharedLibrary.open(firstOf: names)))
        } catch {
            return .failure(
                UnavailableCodec(codec: codec, libraryNames: names, debianPackage: debianPackage, reason: error.description))
        }
    }
}

/// lz4's and zstd's convention: a `size_t` result is either a length or an error code that the
/// library can name.
protocol LengthOrErrorCodecLibrary: CodecLibrary {
    var isError: @convention(c) (Int) -> UInt32 { get }
    var errorName: @convention(c) (Int) -> UnsafePointer<CChar>? { get }
}

extension LengthOrErrorCodecLibrary {
    /// The library's name for the error code `result`.
    func errorMessage(_ result: Int) -> String {
        errorName(result).map { String(cString: $0) } ?? "error \(result)"
    }

    /// Compresses `uncompressed` with one call of `compress(destination, capacity, source, length)`
    /// into `bound` bytes, the library's worst case for the input.
    func compressInOneCall(
        _ uncompressed: ByteBuffer, bound: Int, allocator: ByteBufferAllocator,
        _ compress: (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
    ) throws(RecordBatchError) -> ByteBuffer {
        var output = allocator.buffer(capacity: bound)
        var failure: String?
        _ = uncompressed.withUnsafeReadableBytes { input in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { free in
                let written = compress(free.baseAddress, bound, input.baseAddress, input.count)
                guard isError(written) == 0 else {
                    failure = errorMessage(written)
                    return 0
                }
                return written
            }
        }
        if let failure {
            throw RecordBatchError(.invalidRecord, "\(Self.codec) compression failed: \(failure)")
        }
        return output
    }
}

/// A built-in codec that cannot be used because its library could not be loaded.
public struct UnavailableCodec: Error, Sendable, CustomStringConvertible {
    public let codec: CompressionCodec
    /// The library file names that were tried.
    public let libraryNames: [String]
    /// The Debian package that provides the library.
    public let debianPackage: String
    /// The dynamic loader's explanation.
    public let reason: String

    public var description: String {
        "\(codec) compression is unavailable: \(libraryNames.joined(separator: " or ")) could not be loaded "
            + "(install the Debian package \(debianPackage)): \(reason)"
    }
}

extension Result where Failure == UnavailableCodec {
    /// The loaded library, or the error a codec reports for data it cannot handle.
    func loaded() throws(RecordBatchError) -> Success {
        switch self {
        case .success(let library): return library
        case .failure(let unavailable): throw RecordBatchError(.unsupportedCompression, unavailable.description)
        }
    }
}
