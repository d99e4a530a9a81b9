import Dispatch
import Logging
import Synchronization

/// Group commit for acks=all, and the periodic flush policies, on one dedicated thread per data
/// folder (never the Swift cooperative pool, never an event loop: fsync blocks).
///
/// Each round takes every waiting request across all logs, flushes each of those logs once (one
/// fsync per file written since its last flush, however many requests wait on it), then resumes
/// every waiter its flush covered. A failed flush fails its waiters, and the log stays failed
/// (see `PartitionLog.flush`): an fsync is never retried and then acknowledged. Between rounds
/// it flushes the logs whose `flush.messages` or `flush.ms` is due and, every
/// `checkpointInterval`, writes the recovery-point checkpoint.
///
/// Call `shutdown()` before dropping the flusher: the thread holds on to it until then.
public final class LogFlusher: Sendable {
    private struct Waiter {
        let offset: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [ObjectIdentifier: (log: PartitionLog, waiters: [Waiter])] = [:]
        var isShutDown = false
    }

    private let logManager: LogManager
    private let logger: Logger
    private let checkInterval: Duration
    private let checkpointInterval: Duration
    private let flushObserver: @Sendable (Duration) -> Void
    private let state = Mutex(State())
    /// How many times the flush policies were checked, for tests that must see a check happen.
    private let policyChecks = Atomic<Int>(0)
    var policyCheckCount: Int { policyChecks.load(ordering: .acquiring) }
    /// Signalled for each new waiter, so the thread starts a round without waiting for a tick.
    private let wakeUp = DispatchSemaphore(value: 0)
    private let thread = Mutex<DedicatedThread?>(nil)

    /// - Parameters:
    ///   - checkInterval: how often the `flush.messages` / `flush.ms` policies are checked.
    ///   - checkpointInterval: how often the recovery points are written (Kafka's
    ///     `log.flush.offset.checkpoint.interval.ms`, 60 s).
    ///   - flushObserver: told how long each flush of a log took (its fsyncs), for metrics; called
    ///     on the flusher's thread, so it must not block.
    public init(
        logManager: LogManager, logger: Logger, checkInterval: Duration = .milliseconds(100),
        checkpointInterval: Duration = .seconds(60), flushObserver: @escaping @Sendable (Duration) -> Void = { _ in }
    ) {
        self.logManager = logManager
        self.logger = logger
        self.checkInterval = checkInterval
        self.checkpointInterval = checkpointInterval
        self.flushObserver = flushObserver
        let thread = DedicatedThread { [self] in run() }
        self.thread.withLock { $0 = thread }
    }

    /// Returns once the record at `offset` of `log` is on disk (the log's flushed offset is past
    /// it); throws the flush's error if it failed. `offset` must have been appended already.
    public func waitForFlush(of log: PartitionLog, upTo offset: Int64) async throws {
        if log.flushedOffset > offset { return }
        guard offset < log.logEndOffset else {
            throw StorageError(.offsetOutOfRange, "offset \(offset) was not appended to \(log.topicPartition)")
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let accepted = state.withLock { state in
                guard !state.isShutDown else { return false }
                state.waiting[ObjectIdentifier(log), default: (log, [])].waiters.append(Waiter(offset: offset, continuation: continuation))
                return true
            }
            if accepted {
                wakeUp.signal()
            } else {
                continuation.resume(throwing: StorageError(.logClosed, "the log flusher is shut down"))
            }
        }
    }

    /// Completes the waiting requests with a last round, then stops and joins the thread.
    public func shutdown() {
        state.withLock { $0.isShutDown = true }
        wakeUp.signal()
        let thread = self.thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        thread?.join()
    }

    private func run() {
        var nextCheckpoint = ContinuousClock.now + checkpointInterval
        var nextPolicyCheck = ContinuousClock.now + checkInterval
        while true {
            let milliseconds = Int(max(0, (nextPolicyCheck - .now) / .milliseconds(1)))
            _ = wakeUp.wait(timeout: .now() + .milliseconds(milliseconds))
            let (waiting, isShutDown) = state.withLock { state in
                defer { state.waiting = [:] }
                return (state.waiting, state.isShutDown)
            }
            for (log, waiters) in waiting.values { flush(log, completing: waiters) }
            let now = ContinuousClock.now
            if now >= nextPolicyCheck || isShutDown {
                nextPolicyCheck = now + checkInterval
                for log in logManager.allLogs where log.isFlushDue(at: now) {
                    do throws(StorageError) {
                        try timedFlush(of: log)
                    } catch {
                        logger.error("Periodic flush of \(log.topicPartition) failed", metadata: ["error": "\(error)"])
                    }
                }
                policyChecks.add(1, ordering: .releasing)
            }
            if now >= nextCheckpoint {
                nextCheckpoint = now + checkpointInterval
                do throws(StorageError) {
                    try logManager.checkpointRecoveryPoints()
                } catch {
                    logger.error("Writing the recovery-point checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
            if isShutDown { return }
        }
    }

    private func timedFlush(of log: PartitionLog) throws(StorageError) {
        let started = ContinuousClock.now
        try log.flush()
        flushObserver(ContinuousClock.now - started)
    }

    private func flush(_ log: PartitionLog, completing waiters: [Waiter]) {
        do throws(StorageError) {
            if waiters.contains(where: { $0.offset >= log.flushedOffset }) { try timedFlush(of: log) }
            for waiter in waiters { waiter.continuation.resume() }
        } catch {
            for waiter in waiters { waiter.continuation.resume(throwing: error) }
        }
    }
}
