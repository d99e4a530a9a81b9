import KafkaRecords

/// One segment of a partition log: the `.log` file of whole batches from `baseOffset` on, with
/// its sparse offset and time indexes (Kafka's `LogSegment`). A value kept in the partition's
/// locked state; only the last segment of a log takes appends.
struct LogSegment: Sendable {
    let baseOffset: Int64
    let log: any LogFile
    private(set) var offsetIndex: OffsetIndex
    private(set) var timeIndex: TimeIndex
    /// Bytes of whole batches in the file. The file is longer only while an append is under way.
    private(set) var size: Int
    /// The offset after the last batch; `baseOffset` while empty.
    private(set) var nextOffset: Int64
    /// The largest batch maxTimestamp, -1 while empty (Kafka's `maxTimestampSoFar`).
    private(set) var maxTimestamp: Int64 = -1
    /// The last offset of the first batch that reached `maxTimestamp`.
    private(set) var offsetOfMaxTimestamp: Int64 = -1
    /// The maxTimestamp of the first batch, from which `segment.ms` counts (Kafka's
    /// `rollingBasedTimestamp`); nil while empty.
    private(set) var firstBatchTimestamp: Int64?
    private var bytesSinceLastIndexEntry = 0
    /// Batches were written since the last fsync of the `.log` file.
    private(set) var hasUnsyncedData = false
    /// Index entries were written since the last fsync of the index files.
    private var hasUnsyncedIndexes = false

    /// An empty segment over (emptied) files.
    init(baseOffset: Int64, log: any LogFile, offsetIndex: OffsetIndex, timeIndex: TimeIndex) {
        self.baseOffset = baseOffset
        self.log = log
        self.offsetIndex = offsetIndex
        self.timeIndex = timeIndex
        self.size = 0
        self.nextOffset = baseOffset
    }

    /// Opens the files of the segment starting at `baseOffset` in `directory` (each path followed by
    /// `suffix`), creating missing ones; `emptying` cuts them to nothing, for a new segment. The
    /// segment starts out empty in memory either way: the loader replays the batches into it.
    static func open(
        in directory: String, baseOffset: Int64, fileSystem: any LogFileSystem, suffix: String = "", emptying: Bool
    ) throws(StorageError) -> LogSegment {
        let paths = LogSegment.paths(in: directory, baseOffset: baseOffset)
        let files = try [paths.log, paths.offsetIndex, paths.timeIndex].map { (path) throws(StorageError) in
            try fileSystem.openFile(atPath: path + suffix, creating: true)
        }
        if emptying {
            for file in files { try file.truncate(to: 0) }
        }
        return LogSegment(
            baseOffset: baseOffset, log: files[0],
            offsetIndex: OffsetIndex(file: files[1], baseOffset: baseOffset),
            timeIndex: TimeIndex(file: files[2], baseOffset: baseOffset))
    }

    /// The paths of the three files of the segment starting at `baseOffset`.
    static func paths(in directory: String, baseOffset: Int64) -> (log: String, offsetIndex: String, timeIndex: String) {
        let stem = directory + "/" + LogFileNames.segmentName(baseOffset: baseOffset)
        return (stem + LogFileNames.logSuffix, stem + LogFileNames.offsetIndexSuffix, stem + LogFileNames.timeIndexSuffix)
    }

    /// The path of the aborted-transaction index of the segment starting at `baseOffset`.
    static func transactionIndexPath(in directory: String, baseOffset: Int64) -> String {
        directory + "/" + LogFileNames.segmentName(baseOffset: baseOffset) + LogFileNames.transactionIndexSuffix
    }

    /// Removes the files of the segment starting at `baseOffset`, the log first: index files
    /// without a log are cleared at load, not the other way round. Readers holding the log's
    /// handle keep reading the unlinked file.
    static func removeFiles(in directory: String, baseOffset: Int64, fileSystem: any LogFileSystem) throws(StorageError) {
        let paths = paths(in: directory, baseOffset: baseOffset)
        let transactionIndex = transactionIndexPath(in: directory, baseOffset: baseOffset)
        for path in [paths.log, paths.offsetIndex, paths.timeIndex, transactionIndex] where fileSystem.fileExists(atPath: path) {
            try fileSystem.removeFile(atPath: path)
        }
    }

    var isEmpty: Bool { size == 0 }

    /// Accounts for a batch just written at `position`, adding index entries once more than
    /// `indexIntervalBytes` were written since the last entry (as Kafka's `LogSegment.append`).
    mutating func didAppend(_ header: RecordBatchHeader, at position: Int, indexIntervalBytes: Int) {
        if firstBatchTimestamp == nil { firstBatchTimestamp = header.maxTimestamp }
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            offsetOfMaxTimestamp = header.lastOffset
        }
        if bytesSinceLastIndexEntry > indexIntervalBytes {
            offsetIndex.append(offset: header.lastOffset, position: position)
            timeIndex.appendIfNewer(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
            bytesSinceLastIndexEntry = 0
        }
        bytesSinceLastIndexEntry += header.totalSize
        size = position + header.totalSize
        nextOffset = header.nextOffset
        hasUnsyncedData = true
    }

    /// The segment stops taking appends: its time index gets a last entry for its largest
    /// timestamp (Kafka's `onBecomeInactiveSegment`), and pending index entries are written.
    mutating func closeForAppends() throws(StorageError) {
        appendFinalTimeIndexEntry()
        try writePendingIndexEntries()
    }

    /// The time index entry for the segment's largest timestamp, in memory only: how a closed
    /// segment's index ends, so a load that rebuilds it adds this too.
    mutating func appendFinalTimeIndexEntry() {
        if maxTimestamp >= 0 { timeIndex.appendIfNewer(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp) }
    }

    /// Writes index entries kept in memory to the index files (no fsync).
    mutating func writePendingIndexEntries() throws(StorageError) {
        if offsetIndex.indexFile.hasPendingEntries || timeIndex.indexFile.hasPendingEntries { hasUnsyncedIndexes = true }
        try offsetIndex.indexFile.writePendingEntries()
        try timeIndex.indexFile.writePendingEntries()
    }

    /// The files that need an fsync to make this segment durable; clears the marks, since a
    /// failed fsync fails the whole log.
    mutating func takeUnsyncedFiles() throws(StorageError) -> [any LogFile] {
        try writePendingIndexEntries()
        var files: [any LogFile] = []
        if hasUnsyncedData { files.append(log) }
        if hasUnsyncedIndexes { files += [offsetIndex.indexFile.file, timeIndex.indexFile.file] }
        hasUnsyncedData = false
        hasUnsyncedIndexes = false
        return files
    }

    /// Marks everything unsynced, for a segment rebuilt by recovery.
    mutating func markUnsynced() {
        hasUnsyncedData = true
        hasUnsyncedIndexes = true
    }

    /// After a load scan replayed every batch through `didAppend`: keeps index files that hold
    /// exactly the rebuilt entries and rewrites the others. Returns whether any was stale.
    mutating func reconcileIndexFiles() throws(StorageError) -> Bool {
        let offsetIndexWasStale = try offsetIndex.indexFile.reconcileWithFile()
        let timeIndexWasStale = try timeIndex.indexFile.reconcileWithFile()
        if offsetIndexWasStale || timeIndexWasStale { hasUnsyncedIndexes = true }
        return offsetIndexWasStale || timeIndexWasStale
    }
}
