import NIOCore

/// A segment's sparse offset index, Kafka's `.index` format: 8-byte entries of a 4-byte offset
/// relative to the segment's base offset and a 4-byte byte position in the `.log` file. An entry
/// names the last offset of the batch that starts at that position, as Kafka's does.
///
/// Entries live in memory for binary search (`IndexFile` keeps the file in step). At load they
/// are rebuilt from the log by the same scan that rebuilds producer state.
struct OffsetIndex: Sendable {
    struct Entry: IndexFileEntry {
        static let size = 8
        var relativeOffset: Int32
        var position: Int32

        func write(to bytes: inout ByteBuffer) {
            bytes.writeInteger(relativeOffset)
            bytes.writeInteger(position)
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

    /// Adds an entry for the batch whose last offset is `offset`, starting at `position`.
    mutating func append(offset: Int64, position: Int) {
        indexFile.append(Entry(relativeOffset: Int32(offset - baseOffset), position: Int32(position)))
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
}
