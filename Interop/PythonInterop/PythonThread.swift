import Dispatch
import Foundation
import Synchronization

/// One OS thread that runs every call into Python, one call at a time, in submission order.
///
/// Python calls block their thread (a kafka-python `flush()` waits for the broker), and Swift
/// concurrency's cooperative pool has only as many threads as cores (2 here). Blocking the pool would
/// starve an in-process broker, so callers suspend on a continuation while this thread does the work.
final class PythonThread: Sendable {
    private typealias Job = @Sendable (Result<PythonSession, any Error>) -> Void

    private let pendingJobs = Mutex<[Job]>([])
    /// Counts `pendingJobs`, so the thread sleeps while there is nothing to do.
    private let jobsAvailable = DispatchSemaphore(value: 0)

    init(name: String) {
        Thread { [self] in
            // The kernel's name for the thread (what ps, gdb and /proc show; at most 15 bytes); otherwise it
            // inherits the creating thread's. Foundation's Thread.name reaches the kernel only sometimes
            // on Linux, and Swift's Glibc module does not import pthread_setname_np.
            FileHandle(forWritingAtPath: "/proc/thread-self/comm")?.write(Data(name.utf8))
            serve()
        }.start()
    }

    /// Runs `body` on the Python thread and returns its result. Python code cannot be interrupted from
    /// Swift: cancelling the calling task neither removes a queued call nor stops a running one.
    func submit<T: Sendable>(_ body: @escaping @Sendable (PythonSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pendingJobs.withLock { jobs in
                jobs.append { session in
                    continuation.resume(with: Result { try body(session.get()) })
                }
            }
            jobsAvailable.signal()
        }
    }

    /// The thread's body: the session is created here, so it never leaves this thread.
    private func serve() -> Never {
        let session = Result { try PythonSession() }
        while true {
            jobsAvailable.wait()
            let job = pendingJobs.withLock { $0.removeFirst() }
            job(session)
        }
    }
}
