import NIOCore

/// A segment's sparse time index, Kafka's `.timeindex` format: 12-byte entries of an 8-byte
/// timestamp and a 4-byte offset relative to the segment's base offset. Each entry says that
/// the log reached that maximum timestamp at the batch whose last offset it names; timestamps
/// only grow from entry to entry. Written lazily and rebuilt at load like `OffsetIndex`.
struct TimeIndex: Sendable {
    struct Entry: IndexFileEntry {
        static let size = 12
        var timestamp: Int64
        var relativeOffset: Int32

        func write(to bytes: inout ByteBuffer) {
            bytes.writeInteger(timestamp)
            bytes.writeInteger(relativeOffset)
        }
    }

    let baseOffset: Int64
    var indexFile: IndexFile<Entry>
    private var entries: [Entry] { indexFile.entries }

    /// An index with no entries in memory over `file`, whose contents are left alone until the
    /// index file writes or reconciles them.
    init(file: any LogFile, baseOffset: Int64) {
        self.indexFile = IndexFile(file: file)
        self.baseOffset = baseOffset
    }

    /// Adds an entry when `timestamp` is above the last one (Kafka's `maybeAppend`).
    mutating func appendIfNewer(timestamp: Int64, offset: Int64) {
        guard timestamp > (entries.last?.timestamp ?? Int64.min) else { return }
        indexFile.append(Entry(timestamp: timestamp, relativeOffset: Int32(offset - baseOffset)))
    }

    /// The offset from which to scan for the first batch with a timestamp of at least `timestamp`:
    /// the offset of the last entry whose timestamp is at most `timestamp` (no batch before it
    /// reached its timestamp), or the base offset.
    func offset(forTimestamp timestamp: Int64) -> Int64 {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].timestamp <= timestamp { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? baseOffset : baseOffset + Int64(entries[low - 1].relativeOffset)
    }
}
