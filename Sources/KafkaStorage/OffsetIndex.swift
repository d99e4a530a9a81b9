import NIOCore

/// A segment's sparse offset index, Kafka's `.index` format: 8-byte entries of a 4-byte offset
/// relative to the segment's base offset and a 4-byte byte position in the `.log` file. An entry
/// names the last offset of the batch that starts at that position, as Kafka's does.
///
/// Entries live in memory for binary search; new ones are written to the file when the log
/// flushes or rolls, not on every append (a crash before that loses them, and recovery rebuilds
/// the index of every segment past the recovery point).
struct OffsetIndex: Sendable {
    struct Entry: Hashable, Sendable {
        var relativeOffset: Int32
        var position: Int32
    }

    static let entrySize = 8

    let baseOffset: Int64
    let file: any LogFile
    private(set) var entries: [Entry]
    /// How many entries the file holds already.
    private var writtenCount: Int

    /// An index with no entries, truncating `file`.
    init(emptyingFile file: any LogFile, baseOffset: Int64) throws(StorageError) {
        try file.truncate(to: 0)
        self.file = file
        self.baseOffset = baseOffset
        self.entries = []
        self.writtenCount = 0
    }

    /// Loads the index file, or returns nil when it fails Kafka's sanity checks (a size that is
    /// not a whole number of entries, offsets or positions that do not increase, a position past
    /// the end of the log), so the caller rebuilds it.
    init?(loading file: any LogFile, baseOffset: Int64, logSize: Int64) throws(StorageError) {
        let size = try file.size()
        guard size % Int64(Self.entrySize) == 0 else { return nil }
        var bytes = ByteBuffer()
        guard try file.read(into: &bytes, count: Int(size), at: 0) == Int(size) else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(size) / Self.entrySize)
        while let relativeOffset = bytes.readInteger(as: Int32.self), let position = bytes.readInteger(as: Int32.self) {
            guard relativeOffset >= 0, Int64(position) < logSize,
                entries.last.map({ $0.relativeOffset < relativeOffset && $0.position < position }) ?? true
            else { return nil }
            entries.append(Entry(relativeOffset: relativeOffset, position: position))
        }
        self.file = file
        self.baseOffset = baseOffset
        self.entries = entries
        self.writtenCount = entries.count
    }

    /// Adds an entry for the batch whose last offset is `offset`, starting at `position`.
    mutating func append(offset: Int64, position: Int) {
        entries.append(Entry(relativeOffset: Int32(offset - baseOffset), position: Int32(position)))
    }

    /// The position of the last indexed batch whose last offset is at most `offset`: reading on
    /// from there finds the batch containing `offset`. 0 when no entry is that low.
    func position(forOffset offset: Int64) -> Int {
        let relativeOffset = offset - baseOffset
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if Int64(entries[middle].relativeOffset) <= relativeOffset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : Int(entries[low - 1].position)
    }

    /// The last entry's absolute offset and position.
    var lastEntry: (offset: Int64, position: Int)? {
        entries.last.map { (baseOffset + Int64($0.relativeOffset), Int($0.position)) }
    }

    /// Writes the entries added since the last call to the file (no fsync).
    mutating func writePendingEntries() throws(StorageError) {
        guard writtenCount < entries.count else { return }
        var bytes = ByteBuffer()
        bytes.reserveCapacity((entries.count - writtenCount) * Self.entrySize)
        for entry in entries[writtenCount...] {
            bytes.writeInteger(entry.relativeOffset)
            bytes.writeInteger(entry.position)
        }
        try file.write(bytes, at: Int64(writtenCount * Self.entrySize))
        writtenCount = entries.count
    }
}
