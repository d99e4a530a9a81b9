/// Kafka's names for the files of a data folder and of its partition folders
/// (`LogFileUtils`, `LogManager`).
enum LogFileNames {
    static let logSuffix = ".log"
    static let offsetIndexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"
    /// A segment's aborted-transaction index, written only for segments with an abort marker.
    static let transactionIndexSuffix = ".txnindex"
    /// A compacted segment being written; removed at start-up, since it may be incomplete.
    static let cleanedSuffix = ".cleaned"
    /// Written into the data folder by a clean shutdown, removed at start-up.
    static let cleanShutdownMarker = ".kafka_cleanshutdown"
    /// Per data folder: for each partition, the offset below which everything was fsync'd.
    static let recoveryPointCheckpoint = "recovery-point-offset-checkpoint"
    /// Per data folder: for each partition whose records below some offset were deleted
    /// (DeleteRecords), that offset.
    static let logStartOffsetCheckpoint = "log-start-offset-checkpoint"
    /// Per partition folder: the topic id.
    static let partitionMetadata = "partition.metadata"
    /// A partition folder renamed for deletion ends with this, as Kafka's `.<uuid>-delete`.
    static let deletedFolderSuffix = "-delete"

    /// The 20-digit zero-padded base offset every file of a segment is named after.
    static func segmentName(baseOffset: Int64) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The base offset of a segment file name such as `00000000000000000042.log`, or nil when the
    /// name is not one of `suffix`.
    static func baseOffset(fileName: String, suffix: String) -> Int64? {
        guard fileName.hasSuffix(suffix) else { return nil }
        let stem = fileName.dropLast(suffix.count)
        guard stem.count == 20, stem.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int64(stem)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
