import KafkaRecords
import NIOCore

/// Reads the batches of a segment file in order, in large chunks, for load and recovery. Checks
/// framing and header sanity always, and the CRC-32C of every batch when `verifyingChecksums`.
/// Stops at the first batch that is cut short or fails a check, saying where and why.
struct SegmentBatchScanner {
    enum Step {
        case batch(RecordBatchHeader, position: Int)
        case end
        /// The bytes from `position` on are not a valid batch: the file should be cut there.
        case invalid(position: Int, reason: String)
    }

    private let file: any LogFile
    private let end: Int
    private let verifyingChecksums: Bool
    private let chunkSize: Int
    private var position = 0
    private var chunk = ByteBuffer()
    /// The file position of the chunk's first readable byte.
    private var chunkStart = 0
    private let segmentBaseOffset: Int64
    /// The offset the next batch must start at or after.
    private var expectedOffset: Int64

    init(file: any LogFile, size: Int, baseOffset: Int64, verifyingChecksums: Bool, chunkSize: Int = 1 << 20) {
        self.file = file
        self.end = size
        self.verifyingChecksums = verifyingChecksums
        self.chunkSize = chunkSize
        self.segmentBaseOffset = baseOffset
        self.expectedOffset = baseOffset
    }

    mutating func next() throws(StorageError) -> Step {
        guard position < end else { return .end }
        guard end - position >= RecordBatchHeader.size else {
            return .invalid(position: position, reason: "\(end - position) bytes left, less than a batch header")
        }
        let headerBytes = try bytes(count: RecordBatchHeader.size)
        let header: RecordBatchHeader
        do throws(RecordBatchError) {
            header = try RecordBatchHeader(parsing: headerBytes)
        } catch {
            return .invalid(position: position, reason: error.description)
        }
        guard header.lastOffsetDelta >= 0, header.baseOffset >= expectedOffset else {
            return .invalid(
                position: position,
                reason: "batch offsets \(header.baseOffset)...\(header.lastOffset) where \(expectedOffset) or later was expected")
        }
        // Appends roll to a new segment before offsets leave the indexes' 32-bit range relative to
        // the segment's base offset (both offsets are at least the base, so the difference cannot
        // overflow), and before a position passes 2 GiB: a batch outside either is not one we wrote.
        guard header.baseOffset - segmentBaseOffset <= Int64(Int32.max) - Int64(header.lastOffsetDelta) else {
            return .invalid(
                position: position,
                reason: "batch offsets \(header.baseOffset)... are beyond the 32-bit range of segment \(segmentBaseOffset)")
        }
        guard position + header.totalSize <= Int(Int32.max) else {
            return .invalid(position: position, reason: "batch ends beyond 2 GiB in the segment")
        }
        guard header.totalSize <= end - position else {
            return .invalid(
                position: position, reason: "batch of \(header.totalSize) bytes cut short at \(end - position) bytes")
        }
        if verifyingChecksums {
            let batchBytes = try bytes(count: header.totalSize)
            do throws(RecordBatchError) {
                _ = try RecordBatch(batchBytes, verifyingChecksum: true)
            } catch {
                return .invalid(position: position, reason: error.description)
            }
        }
        let batchPosition = position
        position += header.totalSize
        expectedOffset = header.nextOffset
        return .batch(header, position: batchPosition)
    }

    /// `count` bytes from the current position, reading a new chunk when they are not all in the
    /// current one.
    private mutating func bytes(count: Int) throws(StorageError) -> ByteBuffer {
        if position < chunkStart || position + count > chunkStart + chunk.readableBytes {
            chunk.clear()
            chunkStart = position
            let wanted = min(max(count, chunkSize), end - position)
            let read = try file.read(into: &chunk, count: wanted, at: Int64(position))
            guard read >= count else {
                throw StorageError(.corruptLog, "read \(read) of \(count) bytes at \(position)", path: file.path)
            }
        }
        return chunk.getSlice(at: chunk.readerIndex + position - chunkStart, length: count)!
    }
}
