import NIOCore

/// An entry of a segment's index file: fixed size, written big-endian one after another.
protocol IndexFileEntry: Hashable, Sendable {
    static var size: Int { get }
    func write(to bytes: inout ByteBuffer)
}

/// The entries of one index file (`.index`, `.timeindex`) in memory, and which of them the file
/// holds already.
///
/// New entries reach the file when the log flushes or rolls, not on every append. At load the
/// entries are rebuilt from the log, and a file that differs (missing, torn, corrupt, or built
/// with another index interval) is rewritten.
struct IndexFile<Entry: IndexFileEntry>: Sendable {
    let file: any LogFile
    private(set) var entries: [Entry] = []
    /// How many entries the file holds already.
    private var writtenCount = 0

    /// No entries in memory; the file's contents are left alone until `writePendingEntries` or
    /// `reconcileWithFile`.
    init(file: any LogFile) {
        self.file = file
    }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    var hasPendingEntries: Bool { writtenCount < entries.count }

    /// Writes the entries added since the last call to the file (no fsync).
    mutating func writePendingEntries() throws(StorageError) {
        guard hasPendingEntries else { return }
        try file.write(Self.encode(entries[writtenCount...]), at: Int64(writtenCount * Entry.size))
        writtenCount = entries.count
    }

    /// After the entries were rebuilt from the log at load: keeps the file when it holds exactly
    /// these entries, else writes them anew (no fsync). Returns whether the file was stale.
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
        bytes.reserveCapacity(entries.count * Entry.size)
        for entry in entries { entry.write(to: &bytes) }
        return bytes
    }
}
