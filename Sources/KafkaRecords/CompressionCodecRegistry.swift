/// The codec implementations available to a decoder or builder, by codec number.
public struct CompressionCodecRegistry: Sendable {
    private var compressors: [CompressionCodec: any RecordCompressor]
    private var unavailable: [CompressionCodec: UnavailableCodec] = [:]

    /// Every codec Kafka defines whose library this machine has: gzip always; snappy, lz4 and zstd
    /// when Debian's libsnappy1v5, liblz4-1 and libzstd1 can be loaded.
    public static let builtIn = CompressionCodecRegistry(
        snappy: SnappyLibrary.shared, lz4: LZ4Library.shared, zstd: ZstdLibrary.shared)

    public init(_ compressors: [any RecordCompressor]) {
        self.compressors = [:]
        for compressor in compressors {
            register(compressor)
        }
    }

    /// gzip, and each run-time library codec that loaded; the others are listed as unavailable.
    init(
        snappy: Result<SnappyLibrary, UnavailableCodec>, lz4: Result<LZ4Library, UnavailableCodec>,
        zstd: Result<ZstdLibrary, UnavailableCodec>
    ) {
        self.init([GzipRecordCompressor()])
        register(SnappyRecordCompressor(library: snappy), ifLoaded: snappy)
        register(LZ4RecordCompressor(library: lz4), ifLoaded: lz4)
        register(ZstdRecordCompressor(library: zstd), ifLoaded: zstd)
    }

    /// Adds (or replaces) the implementation for `compressor.codec`.
    public mutating func register(_ compressor: any RecordCompressor) {
        compressors[compressor.codec] = compressor
        unavailable[compressor.codec] = nil
    }

    private mutating func register<Library>(_ compressor: any RecordCompressor, ifLoaded library: Result<Library, UnavailableCodec>) {
        switch library {
        case .success: register(compressor)
        case .failure(let reason): unavailable[compressor.codec] = reason
        }
    }

    /// Whether batches compressed with `codec` can be read and written (`.none` always can).
    public func supports(_ codec: CompressionCodec) -> Bool {
        codec == .none || compressors[codec] != nil
    }

    /// The built-in codecs that cannot be used because their library could not be loaded, in codec order.
    public var unavailableCodecs: [UnavailableCodec] {
        unavailable.values.sorted { $0.codec.rawValue < $1.codec.rawValue }
    }

    /// Why the built-in `codec` cannot be used, when its library could not be loaded.
    public func unavailability(of codec: CompressionCodec) -> UnavailableCodec? {
        unavailable[codec]
    }

    /// The implementation for `codec`, or `.unsupportedCompression` (saying which library is
    /// missing when that is the reason).
    public func compressor(for codec: CompressionCodec) throws(RecordBatchError) -> any RecordCompressor {
        guard let compressor = compressors[codec] else {
            throw RecordBatchError(
                .unsupportedCompression, unavailable[codec]?.description ?? "no implementation for compression codec \(codec)")
        }
        return compressor
    }
}
