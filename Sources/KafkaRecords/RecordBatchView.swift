import NIOCore

/// Walks the batches of a message set (the records field of a Produce request or Fetch
/// response) without decoding records: each step frames one entry by its size field, parses the
/// header and checks the CRC, and hands out the entry's bytes as a slice. A trailing entry cut
/// short (Fetch responses end wherever the size limit fell) comes back as `.incomplete`, not as an
/// error; whether that is acceptable is the caller's call (a Produce request must not have one).
public struct RecordBatchView: Sendable {
    private var remaining: ByteBuffer
    private let startIndex: Int
    private let verifyingChecksums: Bool

    /// - Parameter verifyingChecksums: false skips the CRC check (librdkafka's check.crcs=false);
    ///   framing and headers are still checked.
    public init(_ messageSet: ByteBuffer, verifyingChecksums: Bool = true) {
        self.remaining = messageSet
        self.startIndex = messageSet.readerIndex
        self.verifyingChecksums = verifyingChecksums
    }

    /// The next entry, or nil after the last. After an error the view is positioned past the
    /// offending entry when its size was readable; callers normally stop there.
    public mutating func next() throws(RecordBatchError) -> Entry? {
        guard remaining.readableBytes > 0 else { return nil }
        let position = remaining.readerIndex - startIndex
        do throws(RecordBatchError) {
            guard let size = try remaining.logEntrySize(), size <= remaining.readableBytes,
                let entry = remaining.readSlice(length: size)
            else {
                let incomplete = remaining
                remaining.moveReaderIndex(forwardBy: remaining.readableBytes)
                return .incomplete(incomplete)
            }
            // logEntrySize guarantees the entry reaches past the magic byte.
            switch entry.getInteger(at: entry.readerIndex + RecordBatchHeader.magicIndex, as: Int8.self) {
            case 2:
                return .batch(try RecordBatch(entry, verifyingChecksum: verifyingChecksums))
            case 0, 1:
                return .legacyMessage(try LegacyMessage(entry, verifyingChecksum: verifyingChecksums))
            case let magic:
                throw RecordBatchError(
                    .unsupportedMagic, "magic \(magic.map(String.init) ?? "missing")",
                    batchOffset: entry.getInteger(at: entry.readerIndex, as: Int64.self))
            }
        } catch {
            var error = error
            error.byteOffset = position
            throw error
        }
    }
}
