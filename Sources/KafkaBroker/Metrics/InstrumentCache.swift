import Synchronization

/// Instruments made once per label set and reused: swift-metrics factories hash every label on
/// each `make…`, which a request path should not pay for. Entries whose subject is gone (a deleted
/// topic, an expired group) are dropped with `retainOnly`, which also destroys their instruments so
/// that exporters stop reporting them.
final class InstrumentCache<Key: Hashable & Sendable, Instruments: Sendable>: Sendable {
    private let entries = Mutex<[Key: Instruments]>([:])
    private let make: @Sendable (Key) -> Instruments
    private let destroy: @Sendable (Instruments) -> Void

    init(make: @escaping @Sendable (Key) -> Instruments, destroy: @escaping @Sendable (Instruments) -> Void) {
        self.make = make
        self.destroy = destroy
    }

    subscript(key: Key) -> Instruments {
        entries.withLock { entries in
            if let existing = entries[key] { return existing }
            let made = make(key)
            entries[key] = made
            return made
        }
    }

    /// Destroys and forgets every entry whose key is not in `keys`.
    func retainOnly(_ keys: Set<Key>) {
        removeAll { !keys.contains($0) }
    }

    /// Destroys and forgets every entry whose key `isStale` says is gone. The check runs when the
    /// entry is removed, so a subject created meanwhile keeps its instruments.
    func removeAll(where isStale: (Key) -> Bool) {
        let removed = entries.withLock { entries -> [Instruments] in
            let stale = entries.keys.filter(isStale)
            return stale.compactMap { entries.removeValue(forKey: $0) }
        }
        for instruments in removed { destroy(instruments) }
    }
}
