import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The descriptors of `PosixFileSystem`'s open files, at most `capacity` of them at once.
///
/// A partition keeps three files open per segment, so with one descriptor per file a broker on a
/// default `ulimit -n 1024` could hold about 330 partitions. Here a file handle keeps its path, and
/// its descriptor is closed when it is the least recently used one over the limit and reopened by
/// the next call on the handle. A descriptor is never closed while a call uses it.
///
/// An open handle must stay usable after its path is renamed or removed (`LogFile`): renames go
/// through the cache, which moves the handles to the new path, and a removal first opens the
/// handles of that path and pins them, since an unlinked file cannot be reopened.
final class DescriptorCache: Sendable {
    fileprivate struct Entry {
        var path: String
        var descriptor: Int32?
        /// Calls on the handle that are using its descriptor now.
        var users = 0
        /// Removed from the file system: open until the handle goes, never evicted.
        var pinned = false
        /// Neighbours in the eviction order, among open, unpinned entries.
        var older: ObjectIdentifier?
        var newer: ObjectIdentifier?
    }

    fileprivate struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// The handles of each path not removed yet, to follow renames and removals.
        var handlesByPath: [String: [ObjectIdentifier]] = [:]
        var oldest: ObjectIdentifier?
        var newest: ObjectIdentifier?
        /// Open, unpinned descriptors: the ones `capacity` bounds.
        var evictableCount = 0
        var reopenCount = 0
    }

    /// The most descriptors kept open for unpinned files; more are open only while in use.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "a descriptor cache holds at least one descriptor")
        self.capacity = capacity
    }

    /// Descriptors open now, pinned ones included.
    var openCount: Int {
        state.withLock { state in state.entries.values.count { $0.descriptor != nil } }
    }

    /// How often a descriptor was opened again after its eviction.
    var reopenCount: Int { state.withLock { $0.reopenCount } }

    /// Starts tracking a file just opened at `path` with `descriptor`.
    func register(_ handle: ObjectIdentifier, path: String, descriptor: Int32) {
        state.withLock { state in
            state.entries[handle] = Entry(path: path, descriptor: descriptor)
            state.handlesByPath[path, default: []].append(handle)
            state.makeNewest(handle)
            state.evictableCount += 1
            state.evict(downTo: capacity)
        }
    }

    /// Closes the handle's descriptor, if open, and forgets it: the handle is going away.
    func release(_ handle: ObjectIdentifier) {
        state.withLock { state in
            guard let entry = state.entries[handle] else { return }
            if entry.descriptor != nil && !entry.pinned { state.unlink(handle) }
            if let descriptor = entry.descriptor {
                close(descriptor)
                if !entry.pinned { state.evictableCount -= 1 }
            }
            state.removeFromPathIndex(handle, path: entry.path)
            state.entries[handle] = nil
        }
    }

    /// The path the handle's file has now.
    func path(of handle: ObjectIdentifier) -> String {
        state.withLock { $0.entries[handle]?.path ?? "" }
    }

    /// Runs `body` with the handle's descriptor, reopening it first when it was evicted.
    func withDescriptor<Result>(
        of handle: ObjectIdentifier, _ body: (Int32) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let descriptor = try state.withLock { (state) throws(StorageError) -> Int32 in
            try state.acquire(handle, capacity: capacity)
        }
        defer {
            state.withLock { state in
                state.entries[handle]?.users -= 1
                state.evict(downTo: capacity)
            }
        }
        return try body(descriptor)
    }

    /// Renames with `rename` while no descriptor of either path is being reopened, and moves the
    /// handles of `source` to `destination`; the handles of the file `destination` replaces are pinned
    /// first, as if it were removed.
    func rename(from source: String, to destination: String, _ rename: () throws(StorageError) -> Void) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            state.pinHandles(of: destination)
            try rename()
            guard let moved = state.handlesByPath.removeValue(forKey: source) else { return }
            for handle in moved { state.entries[handle]?.path = destination }
            state.handlesByPath[destination, default: []] += moved
        }
    }

    /// Opens and pins the handles of `path`, then removes it with `unlink`: a handle must keep
    /// reading a removed file, which no later open could find.
    func remove(path: String, _ unlink: () throws(StorageError) -> Void) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            state.pinHandles(of: path)
            try unlink()
        }
    }
}

extension DescriptorCache.State {
    fileprivate mutating func acquire(_ handle: ObjectIdentifier, capacity: Int) throws(StorageError) -> Int32 {
        guard var entry = entries[handle] else {
            preconditionFailure("a file handle is used after its release")
        }
        entry.users += 1
        if let descriptor = entry.descriptor {
            entries[handle] = entry
            if !entry.pinned { makeNewest(handle) }
            return descriptor
        }
        if entry.pinned { throw StorageError(.notFound, "the file was removed", path: entry.path) }
        let descriptor = retryingOnInterrupt { open(entry.path, O_RDWR | O_CLOEXEC) }
        guard descriptor >= 0 else { throw PosixFileSystem.error("reopen", path: entry.path) }
        entry.descriptor = descriptor
        entries[handle] = entry
        reopenCount += 1
        evictableCount += 1
        makeNewest(handle)
        evict(downTo: capacity)
        return descriptor
    }

    /// Closes the least recently used idle descriptors until at most `capacity` are open.
    fileprivate mutating func evict(downTo capacity: Int) {
        var candidate = oldest
        while evictableCount > capacity, let handle = candidate {
            candidate = entries[handle]?.newer
            guard let entry = entries[handle], entry.users == 0, let descriptor = entry.descriptor else { continue }
            unlink(handle)
            close(descriptor)
            entries[handle]?.descriptor = nil
            evictableCount -= 1
        }
    }

    /// Opens the handles of `path` that are closed and takes every one out of eviction, for good.
    fileprivate mutating func pinHandles(of path: String) {
        guard let handles = handlesByPath.removeValue(forKey: path) else { return }
        for handle in handles {
            guard let entry = entries[handle], !entry.pinned else { continue }
            if entry.descriptor != nil {
                unlink(handle)
                evictableCount -= 1
            } else {
                let descriptor = retryingOnInterrupt { open(entry.path, O_RDWR | O_CLOEXEC) }
                // A file that cannot be opened now is read as gone: calls on the handle fail.
                guard descriptor >= 0 else { continue }
                entries[handle]?.descriptor = descriptor
            }
            entries[handle]?.pinned = true
        }
    }

    fileprivate mutating func removeFromPathIndex(_ handle: ObjectIdentifier, path: String) {
        guard var handles = handlesByPath[path] else { return }
        handles.removeAll { $0 == handle }
        handlesByPath[path] = handles.isEmpty ? nil : handles
    }

    /// Moves an open, unpinned entry to the newest end of the eviction order.
    fileprivate mutating func makeNewest(_ handle: ObjectIdentifier) {
        guard newest != handle else { return }
        if entries[handle]?.older != nil || entries[handle]?.newer != nil || oldest == handle { unlink(handle) }
        entries[handle]?.older = newest
        entries[handle]?.newer = nil
        if let previous = newest { entries[previous]?.newer = handle }
        newest = handle
        if oldest == nil { oldest = handle }
    }

    fileprivate mutating func unlink(_ handle: ObjectIdentifier) {
        guard let entry = entries[handle] else { return }
        if let older = entry.older { entries[older]?.newer = entry.newer } else if oldest == handle { oldest = entry.newer }
        if let newer = entry.newer { entries[newer]?.older = entry.older } else if newest == handle { newest = entry.older }
        entries[handle]?.older = nil
        entries[handle]?.newer = nil
    }
}
