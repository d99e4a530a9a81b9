import NIOCore

/// A segment's sparse time index, Kafka's `.timeindex` format: 12-byte entries of an 8-byte
/// timestamp and a 4-byte offset relative to the segment's base offset. Each entry says that
/// the log reached that maximum timestamp at the batch whose last offset it names; timestamps
/// only grow from entry to entry. Written lazily and rebuilt at load like `OffsetIndex`.
struct TimeIndex: Sendable {
    struct Entry: Hashable, Sendable {
        var timestamp: Int64
        var relativeOffset: Int32
    }

    static let entrySize = 12

    let baseOffset: Int64
    let file: any LogFile
    private(set) var entries: [Entry]
    private var writtenCount: Int

    /// An index with no entries in memory over `file`, whose contents are left alone until
    /// `writePendingEntries` or `reconcileWithFile`.
    init(file: any LogFile, baseOffset: Int64) {
        self.file = file
        self.baseOffset = baseOffset
        self.entries = []
        self.writtenCount = 0
    }

    /// Adds an entry when `timestamp` is above the last one (Kafka's `maybeAppend`).
    mutating func appendIfNewer(timestamp: Int64, offset: Int64) {
        guard timestamp > (entries.last?.timestamp ?? Int64.min) else { return }
        entries.append(Entry(timestamp: timestamp, relativeOffset: Int32(offset - baseOffset)))
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

    var hasPendingEntries: Bool { writtenCount < entries.count }

    /// Writes the entries added since the last call to the file (no fsync).
    mutating func writePendingEntries() throws(StorageError) {
        guard hasPendingEntries else { return }
        try file.write(Self.encode(entries[writtenCount...]), at: Int64(writtenCount * Self.entrySize))
        writtenCount = entries.count
    }

    /// After the entries were rebuilt from the log at load: keeps the file when it holds exactly
    /// these entries, else writes them anew (no fsync). Returns whether the
    /// file was stale (missing, cut short, corrupt, or built with another index interval).
    mutating func reconcileWithFile() throws(StorageError) -> Bool {
        let expected = Self.encode(entries[...])
        var stored = ByteBuffer()
        let size = try file.size()
        if size == Int64(expected.readableBytes),
            try file.read(into: &stored, count: Int(size), at: 0) == Int(size), stored == expected
        {
            writtenCount = entries.count
            return false
        }
        try file.truncate(to: 0)
        writtenCount = 0
        try writePendingEntries()
        return true
    }

    private static func encode(_ entries: ArraySlice<Entry>) -> ByteBuffer {
        var bytes = ByteBuffer()
        bytes.reserveCapacity(entries.count * entrySize)
        for entry in entries {
            bytes.writeInteger(entry.timestamp)
            bytes.writeInteger(entry.relativeOffset)
        }
        return bytes
    }
}
