import NIOCore

/// A segment's sparse time index, Kafka's `.timeindex` format: 12-byte entries of an 8-byte
/// timestamp and a 4-byte offset relative to the segment's base offset. Each entry says that
/// the log reached that maximum timestamp at the batch whose last offset it names; timestamps
/// only grow from entry to entry. Written lazily like `OffsetIndex`.
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

    /// An index with no entries, truncating `file`.
    init(emptyingFile file: any LogFile, baseOffset: Int64) throws(StorageError) {
        try file.truncate(to: 0)
        self.file = file
        self.baseOffset = baseOffset
        self.entries = []
        self.writtenCount = 0
    }

    /// Loads the index file, or returns nil when it fails the sanity checks (size not a whole
    /// number of entries, timestamps or offsets that go backwards), so the caller rebuilds it.
    init?(loading file: any LogFile, baseOffset: Int64) throws(StorageError) {
        let size = try file.size()
        guard size % Int64(Self.entrySize) == 0 else { return nil }
        var bytes = ByteBuffer()
        guard try file.read(into: &bytes, count: Int(size), at: 0) == Int(size) else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(size) / Self.entrySize)
        while let timestamp = bytes.readInteger(as: Int64.self), let relativeOffset = bytes.readInteger(as: Int32.self) {
            guard relativeOffset >= 0,
                entries.last.map({ $0.timestamp < timestamp && $0.relativeOffset <= relativeOffset }) ?? true
            else { return nil }
            entries.append(Entry(timestamp: timestamp, relativeOffset: relativeOffset))
        }
        self.file = file
        self.baseOffset = baseOffset
        self.entries = entries
        self.writtenCount = entries.count
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

    /// The largest timestamp indexed so far.
    var lastTimestamp: Int64? { entries.last?.timestamp }

    /// Writes the entries added since the last call to the file (no fsync).
    mutating func writePendingEntries() throws(StorageError) {
        guard writtenCount < entries.count else { return }
        var bytes = ByteBuffer()
        bytes.reserveCapacity((entries.count - writtenCount) * Self.entrySize)
        for entry in entries[writtenCount...] {
            bytes.writeInteger(entry.timestamp)
            bytes.writeInteger(entry.relativeOffset)
        }
        try file.write(bytes, at: Int64(writtenCount * Self.entrySize))
        writtenCount = entries.count
    }
}
