import NIOCore

// The "inflated" form: decoding every record of a batch, decompressing first when needed.
extension RecordBatch {
    /// The default cap on a batch's decompressed size: far above Kafka's default
    /// message.max.bytes (1 MiB compressed), far below what a zip bomb would claim.
    public static let defaultDecompressionLimit = 64 << 20

    /// Decodes all records, decompressing the records section if the batch is compressed. Throws
    /// `.invalidRecord` when the records do not fill the section exactly or their count differs
    /// from the header's.
    public func records(
        decompressionLimit: Int = RecordBatch.defaultDecompressionLimit,
        codecs: CompressionCodecRegistry = .builtIn,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(RecordBatchError) -> [Record] {
        do throws(RecordBatchError) {
            var section = try recordsSection(
                decompressionLimit: decompressionLimit, codecs: codecs, allocator: allocator)
            let count = Int(header.recordCount)
            guard count >= 0 else {
                throw RecordBatchError(.invalidRecord, "record count \(count)")
            }
            var records: [Record] = []
            records.reserveCapacity(min(count, section.readableBytes / Record.minimumEncodedSize))
            for _ in 0..<count {
                records.append(try Record(reading: &section))
            }
            guard section.readableBytes == 0 else {
                throw RecordBatchError(.invalidRecord, "\(section.readableBytes) bytes left after \(count) records")
            }
            return records
        } catch {
            var error = error
            error.batchOffset = header.baseOffset
            throw error
        }
    }

    /// Decodes all records with absolute offsets and timestamps. Records of a control batch
    /// (transaction markers) are returned too; consumers check `header.attributes.isControl`.
    public func decodedRecords(
        decompressionLimit: Int = RecordBatch.defaultDecompressionLimit,
        codecs: CompressionCodecRegistry = .builtIn,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(RecordBatchError) -> [DecodedRecord] {
        let header = self.header
        return try records(decompressionLimit: decompressionLimit, codecs: codecs, allocator: allocator).map { record in
            DecodedRecord(
                offset: record.offset(in: header), timestamp: record.timestamp(in: header),
                timestampType: header.attributes.timestampType,
                key: record.key, value: record.value, headers: record.headers)
        }
    }

    /// The bytes after the header, decompressed when the batch is compressed.
    private func recordsSection(
        decompressionLimit: Int, codecs: CompressionCodecRegistry, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        var section = bytes
        section.moveReaderIndex(forwardBy: RecordBatchHeader.size)
        let codec = header.attributes.compression
        guard codec != .none else { return section }
        return try codecs.compressor(for: codec).decompress(section, limit: decompressionLimit, allocator: allocator)
    }
}
