import Logging
import Synchronization

/// All partition logs of one data folder (Kafka's `LogManager` for one `log.dirs` entry):
/// loads and recovers them at start-up, creates and deletes them, keeps the recovery-point
/// checkpoint and writes the clean-shutdown marker.
///
/// Start-up: the marker `.kafka_cleanshutdown` is removed at once, so a crash while loading
/// counts as unclean. Without it, each partition re-validates its segments from the offset in
/// `recovery-point-offset-checkpoint` (every segment when the partition is not listed there); see
/// `PartitionLogLoader`. The log start offsets that DeleteRecords moved are kept in
/// `log-start-offset-checkpoint`, written whenever one moves.
public final class LogManager: Sendable {
    private struct State {
        var logs: [TopicPartition: PartitionLog] = [:]
        var topicIds: [TopicPartition: String] = [:]
        var isShutDown = false
    }

    /// The data folder.
    public let directory: String
    /// Whether the previous run ended with `shutdown()`.
    public let hadCleanShutdown: Bool
    /// How long loading (and recovering) every partition took.
    public let loadDuration: Duration
    public let defaultConfiguration: LogConfiguration
    let fileSystem: any LogFileSystem
    let logger: Logger
    private let state = Mutex(State())
    /// Serialises creating logs, whose file I/O must not hold `state`: producers look logs up
    /// through it on every request.
    private let creationLock = Mutex(())
    /// Serialises writes of the log-start-offset checkpoint, which share one temporary file.
    private let logStartCheckpointLock = Mutex(())

    public init(
        directory: String, fileSystem: some LogFileSystem, logger: Logger,
        defaultConfiguration: LogConfiguration = LogConfiguration()
    ) throws(StorageError) {
        let started = ContinuousClock.now
        self.directory = directory
        self.fileSystem = fileSystem
        self.logger = logger
        self.defaultConfiguration = defaultConfiguration
        try fileSystem.createDirectory(atPath: directory)
        let markerPath = directory + "/" + LogFileNames.cleanShutdownMarker
        hadCleanShutdown = fileSystem.fileExists(atPath: markerPath)
        if hadCleanShutdown {
            try fileSystem.removeFile(atPath: markerPath)
            try fileSystem.syncDirectory(atPath: directory)
        }
        let recoveryPoints =
            hadCleanShutdown
            ? [:]
            : Self.readCheckpoint(
                LogFileNames.recoveryPointCheckpoint, in: directory, fileSystem: fileSystem, logger: logger,
                fallback: "recovering every segment")
        let logStartOffsets = Self.readCheckpoint(
            LogFileNames.logStartOffsetCheckpoint, in: directory, fileSystem: fileSystem, logger: logger,
            fallback: "every log starts at its first segment")

        var loaded = State()
        var recoveredSegments = 0
        var truncatedBytes: Int64 = 0
        for name in try fileSystem.contentsOfDirectory(atPath: directory).sorted() {
            let path = directory + "/" + name
            guard fileSystem.isDirectory(atPath: path) else { continue }
            if name.hasSuffix(LogFileNames.deletedFolderSuffix) {
                logger.info("Removing folder \(name) of a deleted partition")
                try fileSystem.removeDirectoryRecursively(atPath: path)
                continue
            }
            guard let topicPartition = TopicPartition(folderName: name) else {
                logger.warning("Skipping folder \(name): not a <topic>-<partition> name")
                continue
            }
            let outcome = try PartitionLogLoader(
                topicPartition: topicPartition, directory: path, fileSystem: fileSystem,
                configuration: defaultConfiguration, logger: logger,
                recoveryPoint: hadCleanShutdown ? nil : recoveryPoints[topicPartition] ?? 0,
                checkpointedLogStartOffset: logStartOffsets[topicPartition]
            ).load()
            recoveredSegments += outcome.recoveredSegments
            truncatedBytes += outcome.truncatedBytes
            let log = PartitionLog(
                topicPartition: topicPartition, directory: path, fileSystem: fileSystem, logger: logger, state: outcome.state)
            // Segments a crash kept between checkpointing a DeleteRecords and deleting them.
            try log.deleteSegmentsBelowLogStartOffset()
            loaded.logs[topicPartition] = log
            if let topicId = Self.readTopicId(in: path, fileSystem: fileSystem) {
                loaded.topicIds[topicPartition] = topicId
            }
        }
        state.withLock { $0 = loaded }
        loadDuration = ContinuousClock.now - started
        logger.info(
            "Loaded \(loaded.logs.count) logs in \(loadDuration) after \(hadCleanShutdown ? "a clean" : "an unclean") shutdown",
            metadata: ["recoveredSegments": "\(recoveredSegments)", "truncatedBytes": "\(truncatedBytes)"])
    }

    public func log(for topicPartition: TopicPartition) -> PartitionLog? {
        state.withLock { $0.logs[topicPartition] }
    }

    /// Every log, ordered by topic and partition.
    public var allLogs: [PartitionLog] {
        state.withLock {
            $0.logs.values.sorted {
                ($0.topicPartition.topic, $0.topicPartition.partition) < ($1.topicPartition.topic, $1.topicPartition.partition)
            }
        }
    }

    /// The topic id written in the partition's `partition.metadata`.
    public func topicId(for topicPartition: TopicPartition) -> String? {
        state.withLock { $0.topicIds[topicPartition] }
    }

    /// Creates the partition's folder, its `partition.metadata` when a topic id is given, and an
    /// empty first segment; returns the existing log when there is one.
    public func createLog(
        _ topicPartition: TopicPartition, topicId: String?, configuration: LogConfiguration? = nil
    ) throws(StorageError) -> PartitionLog {
        try creationLock.withLock { _ throws(StorageError) -> PartitionLog in
            let existing = try state.withLock { (state) throws(StorageError) -> PartitionLog? in
                guard !state.isShutDown else { throw StorageError(.logClosed, "the log manager is shut down") }
                return state.logs[topicPartition]
            }
            if let existing { return existing }
            let path = directory + "/" + topicPartition.description
            try fileSystem.createDirectory(atPath: path)
            if let topicId {
                try fileSystem.writeFileAtomically(
                    PartitionMetadataFile.encode(topicId: topicId), atPath: path + "/" + LogFileNames.partitionMetadata,
                    inDirectory: path)
            }
            let outcome = try PartitionLogLoader(
                topicPartition: topicPartition, directory: path, fileSystem: fileSystem,
                configuration: configuration ?? defaultConfiguration, logger: logger, recoveryPoint: nil
            ).load()
            try fileSystem.syncDirectory(atPath: path)
            try fileSystem.syncDirectory(atPath: directory)
            let log = PartitionLog(
                topicPartition: topicPartition, directory: path, fileSystem: fileSystem, logger: logger, state: outcome.state)
            state.withLock { state in
                state.logs[topicPartition] = log
                if let topicId { state.topicIds[topicPartition] = topicId }
            }
            logger.info("Created log for partition \(topicPartition) in \(path)")
            return log
        }
    }

    /// Deletes every partition of `topic`: the logs close (without a flush), their folders are
    /// renamed to `<topic>-<partition>.<random>-delete`, then removed. A folder whose removal
    /// was interrupted is removed at the next start-up.
    public func deleteLogs(topic: String) throws(StorageError) {
        try creationLock.withLock { _ throws(StorageError) in
            let removed = state.withLock { state in
                let logs = state.logs.values.filter { $0.topicPartition.topic == topic }
                for log in logs {
                    state.logs[log.topicPartition] = nil
                    state.topicIds[log.topicPartition] = nil
                }
                return logs
            }
            // A topic created later under the same name must not inherit these start offsets.
            if removed.contains(where: { $0.logStartOffsetBeyondFirstSegment != nil }) { try checkpointLogStartOffsets() }
            for log in removed {
                log.markClosed()
                let suffix = String(UInt64.random(in: .min ... .max), radix: 16) + LogFileNames.deletedFolderSuffix
                let deletedPath = log.directory + "." + suffix
                try fileSystem.rename(atPath: log.directory, toPath: deletedPath)
                try fileSystem.syncDirectory(atPath: directory)
                try fileSystem.removeDirectoryRecursively(atPath: deletedPath)
                logger.info("Deleted log for partition \(log.topicPartition)")
            }
        }
    }

    /// Writes every log's flushed offset to `recovery-point-offset-checkpoint`, so that after a
    /// crash only what lies above it is re-validated. Run it periodically (Kafka's
    /// `log.flush.offset.checkpoint.interval.ms`); `LogFlusher` does.
    public func checkpointRecoveryPoints() throws(StorageError) {
        let offsets = state.withLock { state in state.logs.mapValues { $0.flushedOffset } }
        try fileSystem.writeFileAtomically(
            OffsetCheckpointFile.encode(offsets), atPath: directory + "/" + LogFileNames.recoveryPointCheckpoint,
            inDirectory: directory)
    }

    /// DeleteRecords for one partition: moves its log start offset to `offset` (see
    /// `PartitionLog.advanceLogStartOffset`), makes that durable in `log-start-offset-checkpoint`,
    /// then deletes the segments wholly below it. Returns the new log start offset.
    public func deleteRecords(of log: PartitionLog, before offset: Int64) throws(StorageError) -> Int64 {
        let logStartOffset = try log.advanceLogStartOffset(to: offset)
        try checkpointLogStartOffsets()
        try log.deleteSegmentsBelowLogStartOffset()
        return logStartOffset
    }

    /// Writes `log-start-offset-checkpoint`: every log whose start lies beyond its first segment.
    public func checkpointLogStartOffsets() throws(StorageError) {
        try logStartCheckpointLock.withLock { _ throws(StorageError) in
            let logs = state.withLock { state in Array(state.logs.values) }
            var offsets: [TopicPartition: Int64] = [:]
            for log in logs {
                if let offset = log.logStartOffsetBeyondFirstSegment { offsets[log.topicPartition] = offset }
            }
            try fileSystem.writeFileAtomically(
                OffsetCheckpointFile.encode(offsets), atPath: directory + "/" + LogFileNames.logStartOffsetCheckpoint,
                inDirectory: directory)
        }
    }

    /// Flushes and closes every log, writes the recovery-point checkpoint and, when all of that
    /// succeeded, the clean-shutdown marker, so the next start-up skips recovery.
    public func shutdown() throws(StorageError) {
        let logs = state.withLock { state in
            state.isShutDown = true
            return Array(state.logs.values)
        }
        var firstError: StorageError?
        for log in logs {
            do throws(StorageError) {
                try log.close()
            } catch {
                logger.error("Closing the log of \(log.topicPartition) failed", metadata: ["error": "\(error)"])
                firstError = firstError ?? error
            }
        }
        try checkpointRecoveryPoints()
        try checkpointLogStartOffsets()
        if let firstError { throw firstError }
        try fileSystem.writeFileAtomically([], atPath: directory + "/" + LogFileNames.cleanShutdownMarker, inDirectory: directory)
        logger.info("Shut down \(logs.count) logs cleanly")
    }

    /// The offsets in the data folder's checkpoint file `name`; none when it is missing, and none
    /// with a warning saying what follows (`fallback`) when it cannot be read.
    private static func readCheckpoint(
        _ name: String, in directory: String, fileSystem: any LogFileSystem, logger: Logger, fallback: String
    ) -> [TopicPartition: Int64] {
        let path = directory + "/" + name
        guard fileSystem.fileExists(atPath: path) else { return [:] }
        do throws(StorageError) {
            if let offsets = OffsetCheckpointFile.decode(try fileSystem.readWholeFile(atPath: path)) { return offsets }
            logger.warning("Ignoring malformed \(name); \(fallback)")
        } catch {
            logger.warning("Cannot read \(name): \(error); \(fallback)")
        }
        return [:]
    }

    private static func readTopicId(in partitionDirectory: String, fileSystem: any LogFileSystem) -> String? {
        let path = partitionDirectory + "/" + LogFileNames.partitionMetadata
        guard fileSystem.fileExists(atPath: path), let bytes = try? fileSystem.readWholeFile(atPath: path) else { return nil }
        return PartitionMetadataFile.decode(bytes)
    }
}
