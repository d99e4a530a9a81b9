import NIOCore
import Synchronization

/// The open client connections: admits new ones within `max.connections` and
/// `max.connections.per.ip`, finds those idle for longer than `connections.max.idle.ms`, and lets
/// a graceful shutdown close idle ones at once and busy ones after the request they are handling.
final class ConnectionRegistry: Sendable {
    enum Admission {
        case admitted(id: UInt64)
        /// Why the connection is turned away, for the one log line it gets.
        case rejected(reason: String)
    }

    private struct Entry {
        var channel: any Channel
        var address: String
        /// A request is being handled or its response written: a graceful shutdown waits for it.
        var busy = false
        /// A handler runs (a long-polling fetch, an fsync wait): the connection is not idle,
        /// however long that takes; each request bounds its own wait.
        var handling = false
        /// When the connection last made progress: opened, a whole request arrived, a handler
        /// finished or a response was written.
        var lastActivity: ContinuousClock.Instant
    }

    private struct State {
        var nextId: UInt64 = 1
        var entries: [UInt64: Entry] = [:]
        var countByAddress: [String: Int] = [:]
        var draining = false
    }

    /// Read on each admission: the limits are dynamic broker configs.
    private let limits: @Sendable () -> ConnectionLimits
    private let state = Mutex(State())

    init(limits: @escaping @Sendable () -> ConnectionLimits) {
        self.limits = limits
    }

    /// Registers a new connection from `address`, or says why it must be closed instead. Closes
    /// it at once when the broker is draining.
    func admit(_ channel: any Channel, address: String) -> Admission {
        let limits = self.limits()
        let (admission, draining) = state.withLock { state -> (Admission, Bool) in
            if state.entries.count >= limits.total {
                return (
                    .rejected(reason: "the broker already has the configured maximum of \(limits.total) connections (max.connections)"),
                    false
                )
            }
            let perAddress = limits.limit(forAddress: address)
            if state.countByAddress[address, default: 0] >= perAddress {
                return (
                    .rejected(reason: "address already has the configured maximum of \(perAddress) connections (max.connections.per.ip)"),
                    false
                )
            }
            let id = state.nextId
            state.nextId += 1
            state.entries[id] = Entry(channel: channel, address: address, lastActivity: .now)
            state.countByAddress[address, default: 0] += 1
            return (.admitted(id: id), state.draining)
        }
        if draining { channel.close(promise: nil) }
        return admission
    }

    func remove(_ id: UInt64) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: id) else { return }
            let remaining = state.countByAddress[entry.address, default: 1] - 1
            state.countByAddress[entry.address] = remaining > 0 ? remaining : nil
        }
    }

    /// Marks the connection busy with a request in its handler; false when the broker is
    /// draining and it should stop instead.
    func beginRequest(_ id: UInt64) -> Bool {
        state.withLock { state in
            guard !state.draining else { return false }
            state.entries[id]?.busy = true
            state.entries[id]?.handling = true
            state.entries[id]?.lastActivity = .now
            return true
        }
    }

    /// The handler returned; from now on the connection can go idle again, if the client does
    /// not read its response.
    func finishHandling(_ id: UInt64) {
        state.withLock { state in
            state.entries[id]?.handling = false
            state.entries[id]?.lastActivity = .now
        }
    }

    /// Marks the connection idle again; closes it when the broker started draining meanwhile.
    func endRequest(_ id: UInt64) {
        let channel = state.withLock { state -> (any Channel)? in
            state.entries[id]?.busy = false
            state.entries[id]?.handling = false
            state.entries[id]?.lastActivity = .now
            return state.draining ? state.entries[id]?.channel : nil
        }
        channel?.close(promise: nil)
    }

    /// Closes every connection without a request in a handler that made no progress for
    /// `maximumIdle`, and returns their ids and addresses for the log.
    func closeIdleConnections(maximumIdle: Duration, now: ContinuousClock.Instant = .now) -> [(id: UInt64, address: String)] {
        let idle = state.withLock { state in
            state.entries.filter { !$0.value.handling && now - $0.value.lastActivity > maximumIdle }
        }
        for entry in idle.values { entry.channel.close(promise: nil) }
        return idle.map { ($0.key, $0.value.address) }
    }

    /// How many connections are open.
    var count: Int { state.withLock { $0.entries.count } }

    /// The open connections' channels, for statistics.
    var channels: [any Channel] { state.withLock { $0.entries.values.map(\.channel) } }

    /// Closes every idle connection now; busy ones close after their current response.
    func drain() {
        let idle = state.withLock { state -> [any Channel] in
            state.draining = true
            return state.entries.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }
}
