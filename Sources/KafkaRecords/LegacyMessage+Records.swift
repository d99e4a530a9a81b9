import NIOCore

// Decoding a legacy message into records: itself when uncompressed, else the inner message set of
// a wrapper, with Kafka's offset and timestamp rules for each magic.
extension LegacyMessage {
    /// The records this message holds, with absolute offsets.
    ///
    /// For a compressed wrapper: magic 1 inner offsets are relative and the wrapper's offset is the
    /// absolute offset of the last inner message; magic 0 inner offsets are absolute. With
    /// LogAppendTime the wrapper's timestamp replaces the inner ones.
    public func decodedRecords(
        decompressionLimit: Int = RecordBatch.defaultDecompressionLimit,
        codecs: CompressionCodecRegistry = .builtIn,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(RecordBatchError) -> [DecodedRecord] {
        let timestampType = self.timestampType
        guard compression != .none else {
            return [
                DecodedRecord(
                    offset: offset, timestamp: timestamp, timestampType: timestampType, key: key, value: value)
            ]
        }
        do throws(RecordBatchError) {
            guard let value else {
                throw RecordBatchError(.invalidRecord, "compressed wrapper message without a value")
            }
            let compressor = try codecs.compressor(for: compression)
            let innerMessages = try innerMessages(
                of: try compressor.decompress(value, limit: decompressionLimit, allocator: allocator))
            guard let last = innerMessages.last else {
                throw RecordBatchError(.invalidRecord, "compressed wrapper message with no inner messages")
            }
            let absoluteBaseOffset = magic == 0 ? 0 : offset - last.offset
            return innerMessages.map { inner in
                DecodedRecord(
                    offset: absoluteBaseOffset + inner.offset,
                    timestamp: timestampType == .logAppendTime ? timestamp : inner.timestamp,
                    timestampType: timestampType,
                    key: inner.key, value: inner.value)
            }
        } catch {
            var error = error
            error.batchOffset = offset
            throw error
        }
    }

    /// Parses a decompressed inner message set: whole, uncompressed messages of the wrapper's magic.
    private func innerMessages(of messageSet: ByteBuffer) throws(RecordBatchError) -> [LegacyMessage] {
        var remaining = messageSet
        var messages: [LegacyMessage] = []
        while remaining.readableBytes > 0 {
            guard let size = try remaining.logEntrySize(), let bytes = remaining.readSlice(length: size) else {
                throw RecordBatchError(.invalidRecord, "inner message set ends inside a message")
            }
            let inner = try LegacyMessage(bytes)
            guard inner.magic == magic else {
                throw RecordBatchError(.invalidRecord, "inner message magic \(inner.magic) in a magic \(magic) wrapper")
            }
            guard inner.compression == .none else {
                throw RecordBatchError(.invalidRecord, "inner message compressed again with \(inner.compression)")
            }
            messages.append(inner)
        }
        return messages
    }
}
