import NIOCore

/// Runs tasks on one event loop: a connection's task that prefers it reads its requests and
/// writes its responses on the thread that does the I/O, without a hand-off between that thread
/// and Swift's cooperative pool for each of them.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
