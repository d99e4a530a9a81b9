import KafkaRecords
import NIOCore

/// A byte range of a segment's `.log` file holding whole batches, taken under the partition's
/// lock and read outside it. The bytes below `end` do not change while the handle lives: appends
/// go past it, compaction writes a new file, and only loading truncates.
struct SegmentSlice: Sendable {
    let file: any LogFile
    let start: Int
    let end: Int
    /// A batch boundary at or before `start + maxBytes` of the read this slice serves, known
    /// from the sparse index, from which trimming the read to whole batches starts walking.
    var boundaryHint: Int?

    /// The header of the batch at `position`.
    func header(at position: Int) throws(StorageError) -> RecordBatchHeader {
        var bytes = ByteBuffer()
        _ = try file.read(into: &bytes, count: RecordBatchHeader.size, at: Int64(position))
        do throws(RecordBatchError) {
            return try RecordBatchHeader(parsing: bytes)
        } catch {
            throw StorageError(.corruptLog, "no valid batch header at byte \(position): \(error)", path: file.path)
        }
    }

    /// The first batch from `start` on that `matches`, hopping from header to header.
    func firstBatch(
        where matches: (RecordBatchHeader) -> Bool
    ) throws(StorageError) -> (header: RecordBatchHeader, position: Int)? {
        var position = start
        while position < end {
            let header = try header(at: position)
            if matches(header) { return (header, position) }
            position += header.totalSize
        }
        return nil
    }

    /// The whole batches from `position` (where a batch of `firstBatchSize` bytes starts) that
    /// fit in `maxBytes`; the first batch even when it alone is larger, if `minOneBatch`.
    func readBatches(
        from position: Int, firstBatchSize: Int, maxBytes: Int, minOneBatch: Bool
    ) throws(StorageError) -> ByteBuffer {
        var bytes = ByteBuffer()
        guard firstBatchSize <= maxBytes else {
            if minOneBatch { try readExactly(into: &bytes, count: firstBatchSize, at: position) }
            return bytes
        }
        try readExactly(into: &bytes, count: min(maxBytes, end - position), at: position)
        // Keep the whole batches only: the read may end inside one. Everything before the index's
        // boundary is whole batches, so the walk starts there.
        var wholeBytes = 0
        if let boundaryHint, boundaryHint > position, boundaryHint - position < bytes.readableBytes {
            wholeBytes = boundaryHint - position
        }
        var view = RecordBatchView(
            bytes.getSlice(at: bytes.readerIndex + wholeBytes, length: bytes.readableBytes - wholeBytes)!,
            verifyingChecksums: false)
        do throws(RecordBatchError) {
            while case .batch(let batch)? = try view.next() { wholeBytes += batch.header.totalSize }
        } catch {
            throw StorageError(.corruptLog, "invalid batch after byte \(position + wholeBytes): \(error)", path: file.path)
        }
        bytes.moveWriterIndex(to: bytes.readerIndex + wholeBytes)
        return bytes
    }

    /// The whole batch at `position`.
    func batch(at position: Int, header: RecordBatchHeader) throws(StorageError) -> RecordBatch {
        var bytes = ByteBuffer()
        try readExactly(into: &bytes, count: header.totalSize, at: position)
        do throws(RecordBatchError) {
            return try RecordBatch(bytes, verifyingChecksum: false)
        } catch {
            throw StorageError(.corruptLog, "invalid batch at byte \(position): \(error)", path: file.path)
        }
    }

    private func readExactly(into bytes: inout ByteBuffer, count: Int, at position: Int) throws(StorageError) {
        let read = try file.read(into: &bytes, count: count, at: Int64(position))
        guard read == count else {
            throw StorageError(.corruptLog, "read \(read) of \(count) bytes at byte \(position)", path: file.path)
        }
    }
}
