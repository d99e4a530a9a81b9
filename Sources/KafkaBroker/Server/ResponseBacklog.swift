import Synchronization

/// The response bytes of one connection handed to its channel and not yet taken by its socket.
///
/// The connection's request loop adds each response before writing it and, while the backlog is
/// above `limit`, waits before reading the next request, so a client that does not read its
/// responses makes the broker stop reading its requests rather than queue responses without
/// bound. `ResponseBacklogHandler` subtracts each response once the socket took it (or the write
/// failed). Counting from the hand-over, not from the channel's own buffer, leaves no window in
/// which responses on their way to the event loop go uncounted.
final class ResponseBacklog: Sendable {
    private struct State {
        var pendingBytes = 0
        var waiter: CheckedContinuation<Void, Never>?
        var isClosed = false
    }

    /// Above this the request loop waits; it goes on once half of it is left.
    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    var pendingBytes: Int { state.withLock { $0.pendingBytes } }

    func add(_ bytes: Int) {
        state.withLock { $0.pendingBytes += bytes }
    }

    func remove(_ bytes: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.pendingBytes -= bytes
            guard state.pendingBytes <= limit / 2 else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The connection closed: responses still counted will never be written, so nobody waits.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.isClosed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns once the backlog is at most `limit` (at once if it is), or the connection closed.
    func waitWhileOverLimit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mustWait = state.withLock { state in
                guard state.pendingBytes > limit, !state.isClosed else { return false }
                state.waiter = continuation
                return true
            }
            if !mustWait { continuation.resume() }
        }
    }
}
