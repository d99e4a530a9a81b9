import NIOCore
import Synchronization

/// Hands the listener's bound address (or the reason it could not bind) to whoever waits for it,
/// before or after it is known.
final class ListeningAddressSignal: Sendable {
    private enum State {
        case waiting([CheckedContinuation<SocketAddress, any Error>])
        case finished(Result<SocketAddress, any Error>)
    }

    private let state = Mutex(State.waiting([]))

    func wait() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<SocketAddress, any Error>? = state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .finished(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// The bound address, if the listener is up.
    var current: SocketAddress? {
        state.withLock { state in
            guard case .finished(.success(let address)) = state else { return nil }
            return address
        }
    }

    /// The first result counts; later ones are ignored.
    func finish(_ result: Result<SocketAddress, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .finished(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
