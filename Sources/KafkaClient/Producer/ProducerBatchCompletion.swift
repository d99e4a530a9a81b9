import NIOConcurrencyHelpers

/// The outcome of one producer batch, awaited by the futures of all its records and by `flush`.
///
/// A finished batch answers without suspending: awaiting the records of a batch one by one (as
/// `samsa perf produce` and every per-record callback do) costs no thread hop, where an
/// `EventLoopFuture`'s `get()` hops to its event loop for each call. The first completion wins;
/// later ones are ignored.
final class ProducerBatchCompletion: Sendable {
    private enum State {
        case pending([CheckedContinuation<Result<ProducedBatch, KafkaError>, Never>])
        case finished(Result<ProducedBatch, KafkaError>)
    }

    private let state = NIOLockedValueBox(State.pending([]))

    func succeed(_ produced: ProducedBatch) {
        finish(.success(produced))
    }

    func fail(_ error: KafkaError) {
        finish(.failure(error))
    }

    /// Waits until the batch is acknowledged or failed.
    func result() async -> Result<ProducedBatch, KafkaError> {
        if case .finished(let result) = state.withLockedValue({ $0 }) { return result }
        return await withCheckedContinuation { continuation in
            let finished = state.withLockedValue { state -> Result<ProducedBatch, KafkaError>? in
                switch state {
                case .finished(let result):
                    return result
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    private func finish(_ result: Result<ProducedBatch, KafkaError>) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Result<ProducedBatch, KafkaError>, Never>] in
            guard case .pending(let waiters) = state else { return [] }
            state = .finished(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }
}
