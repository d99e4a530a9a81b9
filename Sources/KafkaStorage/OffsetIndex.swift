import NIOCore

/// A segment's sparse offset index, Kafka's `.index` format: 8-byte entries of a 4-byte offset
/// relative to the segment's base offset and a 4-byte byte position in the `.log` file. An entry
/// names the last offset of the batch that starts at that position, as Kafka's does.
///
/// Entries live in memory for binary search. New ones reach the file when the log flushes or
/// rolls, not on every append. At load the entries are rebuilt from the log by the same scan that
/// rebuilds producer state, and a file that differs (missing, torn, corrupt) is rewritten.
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

    /// An index with no entries in memory over `file`, whose contents are left alone until
    /// `writePendingEntries` or `reconcileWithFile`.
    init(file: any LogFile, baseOffset: Int64) {
        self.file = file
        self.baseOffset = baseOffset
        self.entries = []
        self.writtenCount = 0
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

    /// The position of the last indexed batch that starts at or before `limit`: every batch
    /// between an earlier batch and this one is whole, so a read that must end on a batch
    /// boundary only walks the headers after it.
    func lastPosition(notAfter limit: Int) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if Int(entries[middle].position) <= limit { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : Int(entries[low - 1].position)
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
            bytes.writeInteger(entry.relativeOffset)
            bytes.writeInteger(entry.position)
        }
        return bytes
    }
}
