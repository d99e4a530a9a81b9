import Logging
import Synchronization

extension PartitionLog {
    /// Makes everything appended so far durable: writes pending index entries, fsyncs every
    /// segment file written since the last flush (and the folder after a roll), then advances
    /// `flushedOffset`. A failed fsync fails the log for good: after one, Linux may have dropped
    /// the dirty pages, so a retry that succeeds would acknowledge data that is not on disk.
    public func flush() throws(StorageError) {
        try flushLock.withLock { _ throws(StorageError) in
            try state.withLock { (state) throws(StorageError) in try state.checkWritable() }
            try flushHoldingLock()
        }
    }

    /// The flush itself; the caller holds `flushLock`.
    func flushHoldingLock() throws(StorageError) {
        let (target, messages, files, syncDirectory) = try state.withLock {
            (state) throws(StorageError) -> (Int64, Int64, [any LogFile], Bool) in
            var files: [any LogFile] = []
            // Segments wholly below the flushed offset were synced already (compaction syncs what it writes).
            for index in state.segmentIndex(forOffset: state.flushedOffset)..<state.segments.count {
                files += try state.segments[index].takeUnsyncedFiles()
            }
            defer { state.directoryNeedsSync = false }
            return (state.logEndOffset, state.unflushedMessages, files, state.directoryNeedsSync)
        }
        do throws(StorageError) {
            for file in files { try file.sync() }
            if syncDirectory { try fileSystem.syncDirectory(atPath: directory) }
        } catch {
            logger.error("fsync failed; the log takes no more writes", metadata: ["error": "\(error)"])
            state.withLock { $0.failure = error }
            throw error
        }
        state.withLock { state in
            state.flushedOffset = max(state.flushedOffset, target)
            state.unflushedMessages -= messages
            state.lastFlush = .now
        }
    }
}
