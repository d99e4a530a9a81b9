import Logging
import Synchronization

/// The durable log of one partition (Kafka's `UnifiedLog` and `LocalLog` for a single replica):
/// segments of stored RecordBatch v2 bytes with sparse indexes, appends that assign offsets,
/// reads of whole batches, retention, compaction and flushes.
///
/// Thread-safe without an actor: the state sits behind a lock that an append holds for its
/// write() only, so producers on an event loop append without a hop. Reads take the lock just
/// long enough to find where to read, then pread outside it. fsyncs run outside the lock too.
public final class PartitionLog: Sendable {
    public let topicPartition: TopicPartition
    /// The partition folder, `<data folder>/<topic>-<partition>`.
    public let directory: String
    let fileSystem: any LogFileSystem
    let logger: Logger
    let state: Mutex<PartitionLogState>
    /// Held by a flush around its fsyncs, so two flushes do not both sync the same data and the
    /// flushed offset only grows.
    let flushLock = Mutex(())
    /// Held by retention, compaction and close, which replace segments, so they take turns.
    /// Separate from `flushLock`: an acks=all flush must not wait for a compaction.
    let maintenanceLock = Mutex(())

    init(
        topicPartition: TopicPartition, directory: String, fileSystem: any LogFileSystem, logger: Logger,
        state: PartitionLogState
    ) {
        self.topicPartition = topicPartition
        self.directory = directory
        self.fileSystem = fileSystem
        var logger = logger
        logger[metadataKey: "partition"] = "\(topicPartition)"
        self.logger = logger
        self.state = Mutex(state)
    }

    /// The first offset that can be read.
    public var logStartOffset: Int64 { state.withLock { $0.logStartOffset } }

    /// The offset the next appended record gets.
    public var logEndOffset: Int64 { state.withLock { $0.logEndOffset } }

    /// The offset up to which consumers may read. With a single replica every finished append is
    /// committed, so it is the log end offset.
    public var highWatermark: Int64 { logEndOffset }

    /// Everything below this offset is on disk (fsync'd).
    public var flushedOffset: Int64 { state.withLock { $0.flushedOffset } }

    public var sizeInBytes: Int64 { state.withLock { $0.sizeInBytes } }

    public var segmentCount: Int { state.withLock { $0.segments.count } }

    /// Why the log takes no more writes until it is reloaded: a write that could not be undone,
    /// or a failed fsync. nil while the log is healthy.
    public var failure: StorageError? { state.withLock { $0.failure } }

    public var configuration: LogConfiguration { state.withLock { $0.configuration } }

    /// Takes new settings; they apply from the next append, flush, retention or compaction.
    public func updateConfiguration(_ configuration: LogConfiguration) {
        state.withLock { $0.configuration = configuration }
    }

    /// Whether the `flush.messages` or `flush.ms` policy asks for a flush now.
    func isFlushDue(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            guard state.unflushedMessages > 0, state.failure == nil, !state.isClosed else { return false }
            let sinceLastFlush = now - state.lastFlush
            return state.unflushedMessages >= state.configuration.flushIntervalMessages
                || sinceLastFlush >= .milliseconds(state.configuration.flushIntervalMs)
        }
    }

    /// Flushes and closes: later calls fail with `logClosed`. Open file handles are released when
    /// the last reader is done with them. Throws `logFailed` for a log that an earlier failure
    /// left in an unknown state, so that the shutdown is not recorded as clean.
    public func close() throws(StorageError) {
        try maintenanceLock.withLock { _ throws(StorageError) in
            try flushLock.withLock { _ throws(StorageError) in
                let (wasOpen, failure) = state.withLock { state in
                    defer { state.isClosed = true }
                    return (!state.isClosed, state.failure)
                }
                if let failure {
                    throw StorageError(.logFailed, "closed after a failure: \(failure.detail)", path: failure.path)
                }
                if wasOpen { try flushHoldingLock() }
            }
        }
    }

    /// Closes without a flush, for a log whose files are about to be deleted.
    func markClosed() {
        state.withLock { $0.isClosed = true }
    }
}
