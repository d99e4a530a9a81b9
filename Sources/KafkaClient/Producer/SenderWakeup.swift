import NIOConcurrencyHelpers
import NIOCore

/// Wakes the producer's sender task: appends that make a batch ready, finished requests, flush and
/// close signal it; otherwise it sleeps until the accumulator's next deadline. A signal that comes
/// while nobody waits is kept, so none is lost between draining and waiting.
final class SenderWakeup: Sendable {
    private struct State {
        var isSignaled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())
    private let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func signal() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.isSignaled = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal, at `deadline`, or when the task is cancelled.
    func wait(until deadline: NIODeadline?) async {
        let timer = deadline.map { deadline in eventLoop.scheduleTask(deadline: deadline) { self.signal() } }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.isSignaled || Task.isCancelled {
                        state.isSignaled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
        timer?.cancel()
    }
}
