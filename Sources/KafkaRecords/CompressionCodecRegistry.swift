/// The codec implementations available to a decoder or builder, by codec number.
public struct CompressionCodecRegistry: Sendable {
    private var compressors: [CompressionCodec: any RecordCompressor]

    /// Every codec Kafka defines: gzip, snappy, lz4 and zstd.
    public static let builtIn = CompressionCodecRegistry([
        GzipRecordCompressor(), SnappyRecordCompressor(), LZ4RecordCompressor(), ZstdRecordCompressor(),
    ])

    public init(_ compressors: [any RecordCompressor]) {
        self.compressors = [:]
        for compressor in compressors {
            register(compressor)
        }
    }

    /// Adds (or replaces) the implementation for `compressor.codec`.
    public mutating func register(_ compressor: any RecordCompressor) {
        compressors[compressor.codec] = compressor
    }

    /// The implementation for `codec`, or `.unsupportedCompression`.
    public func compressor(for codec: CompressionCodec) throws(RecordBatchError) -> any RecordCompressor {
        guard let compressor = compressors[codec] else {
            throw RecordBatchError(.unsupportedCompression, "no implementation for compression codec \(codec)")
        }
        return compressor
    }
}
