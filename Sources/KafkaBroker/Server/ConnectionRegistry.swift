import NIOCore
import Synchronization

/// The open client connections, so that a graceful shutdown can close idle ones at once and let
/// busy ones finish the request they are handling.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        var busy = false
    }

    private struct State {
        var nextId: UInt64 = 1
        var entries: [UInt64: Entry] = [:]
        var draining = false
    }

    private let state = Mutex(State())

    /// The connection's id; nil (and the channel closed) when the broker is draining.
    func register(_ channel: any Channel) -> UInt64? {
        let id = state.withLock { state -> UInt64? in
            guard !state.draining else { return nil }
            let id = state.nextId
            state.nextId += 1
            state.entries[id] = Entry(channel: channel)
            return id
        }
        if id == nil { channel.close(promise: nil) }
        return id
    }

    /// How many connections are open.
    var count: Int {
        state.withLock { $0.entries.count }
    }

    func remove(_ id: UInt64) {
        state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    /// Marks the connection busy; false when the broker is draining and it should stop instead.
    func beginRequest(_ id: UInt64) -> Bool {
        state.withLock { state in
            guard !state.draining else { return false }
            state.entries[id]?.busy = true
            return true
        }
    }

    /// Marks the connection idle again; closes it when the broker started draining meanwhile.
    func endRequest(_ id: UInt64) {
        let channel = state.withLock { state -> (any Channel)? in
            state.entries[id]?.busy = false
            return state.draining ? state.entries[id]?.channel : nil
        }
        channel?.close(promise: nil)
    }

    /// Closes every idle connection now; busy ones close after their current response.
    func drain() {
        let idle = state.withLock { state -> [any Channel] in
            state.draining = true
            return state.entries.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }
}
