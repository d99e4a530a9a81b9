import NIOConcurrencyHelpers

/// A result that arrives once, awaited by any number of tasks: a producer batch's acknowledgement
/// (by the futures of all its records and by `flush`), a request's response frame.
///
/// Unlike an `EventLoopFuture`, whose `get()` hops to its event loop to register a callback, a
/// finished result answers without suspending, and completing it from the event loop resumes the
/// waiters directly. Awaiting the records of a batch one by one (as `samsa perf produce` and every
/// per-record callback do) costs no thread hop, and a request costs one hop each way. The first
/// completion wins; later ones are ignored.
final class PendingResult<Success: Sendable>: Sendable {
    typealias Callback = @Sendable (Result<Success, KafkaError>) -> Void

    private enum State {
        case pending([CheckedContinuation<Result<Success, KafkaError>, Never>], callbacks: [Callback])
        case finished(Result<Success, KafkaError>)
    }

    private let state = NIOLockedValueBox(State.pending([], callbacks: []))

    func succeed(_ value: Success) {
        finish(.success(value))
    }

    func fail(_ error: KafkaError) {
        finish(.failure(error))
    }

    /// Waits until the result is there.
    func result() async -> Result<Success, KafkaError> {
        if case .finished(let result) = state.withLockedValue({ $0 }) { return result }
        return await withCheckedContinuation { continuation in
            let finished = state.withLockedValue { state -> Result<Success, KafkaError>? in
                switch state {
                case .finished(let result):
                    return result
                case .pending(var waiters, let callbacks):
                    waiters.append(continuation)
                    state = .pending(waiters, callbacks: callbacks)
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    /// Calls `callback` with the result once it is there: at once when it already is, else on the
    /// thread that completes it (for a producer batch, the event loop: the callback must be quick).
    func whenComplete(_ callback: @escaping Callback) {
        let finished = state.withLockedValue { state -> Result<Success, KafkaError>? in
            switch state {
            case .finished(let result):
                return result
            case .pending(let waiters, var callbacks):
                callbacks.append(callback)
                state = .pending(waiters, callbacks: callbacks)
                return nil
            }
        }
        if let finished { callback(finished) }
    }

    private func finish(_ result: Result<Success, KafkaError>) {
        let (waiters, callbacks) = state.withLockedValue {
            state -> ([CheckedContinuation<Result<Success, KafkaError>, Never>], [Callback]) in
            guard case .pending(let waiters, let callbacks) = state else { return ([], []) }
            state = .finished(result)
            return (waiters, callbacks)
        }
        for waiter in waiters { waiter.resume(returning: result) }
        for callback in callbacks { callback(result) }
    }
}

/// The outcome of one producer batch.
typealias ProducerBatchCompletion = PendingResult<ProducedBatch>
