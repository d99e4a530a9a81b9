import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file system in memory for tests, with fault injection: fail or cut short the Nth write,
/// fail the Nth fsync, run out of space, lose everything not fsync'd (a power cut), and count
/// fsyncs. Renames and removals are atomic and durable at once.
public final class InMemoryFileSystem: LogFileSystem {
    /// How an injected write fault fails.
    public enum WriteFailure: Sendable, Hashable {
        /// Nothing is written; the write fails with `ioError`.
        case ioError
        /// Nothing is written; the write fails with `noSpace` (ENOSPC).
        case noSpace
        /// The first `bytesWritten` bytes land, then the write fails with `noSpace`, as a pwrite
        /// that returned short followed by one that found the device full.
        case shortWrite(bytesWritten: Int)
    }

    private struct File {
        var bytes: [UInt8] = []
        /// What survives `simulatePowerLoss`: the bytes as of the last successful fsync.
        var durableBytes: [UInt8] = []
    }

    private struct PendingFault<Failure> {
        var remainingCalls: Int
        var pathSuffix: String
        var failure: Failure
    }

    private struct State {
        var paths: [String: Int] = [:]
        /// By inode number, so a handle keeps reaching its file after a rename or removal.
        var files: [Int: File] = [:]
        var nextInode = 0
        var directories: Set<String> = ["/"]
        var writeFaults: [PendingFault<WriteFailure>] = []
        var syncFaults: [PendingFault<Void>] = []
        var syncedPaths: [String] = []
        var writeCount = 0
        var syncLatency: Duration = .zero
    }

    private let state = Mutex(State())

    public init() {}

    // MARK: - Fault injection and inspection

    /// Makes the `number`th write from now (1 = the next) to a file whose path ends with
    /// `pathSuffix` fail as `failure`.
    public func failWrite(number: Int = 1, toFilesEndingWith pathSuffix: String = "", with failure: WriteFailure) {
        state.withLock { $0.writeFaults.append(PendingFault(remainingCalls: number, pathSuffix: pathSuffix, failure: failure)) }
    }

    /// Makes the `number`th fsync from now of a file whose path ends with `pathSuffix` fail with
    /// `ioError`; the data it should have made durable stays volatile.
    public func failSync(number: Int = 1, ofFilesEndingWith pathSuffix: String = "") {
        state.withLock { $0.syncFaults.append(PendingFault(remainingCalls: number, pathSuffix: pathSuffix, failure: ())) }
    }

    /// Makes every fsync of a file take this long, as a real disk does; group commit shows only
    /// when fsyncs are slow enough for requests to queue behind them.
    public func setSyncLatency(_ latency: Duration) {
        state.withLock { $0.syncLatency = latency }
    }

    /// How many fsyncs of files (not folders) succeeded so far whose path ends with `pathSuffix`.
    public func syncCount(ofFilesEndingWith pathSuffix: String = "") -> Int {
        state.withLock { $0.syncedPaths.count(where: { $0.hasSuffix(pathSuffix) }) }
    }

    /// How many writes were attempted so far.
    public var writeCount: Int { state.withLock { $0.writeCount } }

    /// Every file loses what was written since its last successful fsync, as after a power cut.
    public func simulatePowerLoss() {
        state.withLock { state in
            for inode in state.files.keys { state.files[inode]!.bytes = state.files[inode]!.durableBytes }
        }
    }

    /// The bytes of a file, for assertions.
    public func contents(ofFileAtPath path: String) -> [UInt8]? {
        state.withLock { state in state.paths[path].map { state.files[$0]!.bytes } }
    }

    // MARK: - LogFileSystem

    public func openFile(atPath path: String, creating: Bool) throws(StorageError) -> any LogFile {
        let inode = try state.withLock { (state) throws(StorageError) -> Int in
            if let inode = state.paths[path] { return inode }
            guard creating else { throw StorageError(.notFound, "open failed: no such file", path: path) }
            guard state.directories.contains(Self.parent(of: path)) else {
                throw StorageError(.notFound, "open failed: no such folder", path: path)
            }
            let inode = state.nextInode
            state.nextInode += 1
            state.files[inode] = File()
            state.paths[path] = inode
            return inode
        }
        return InMemoryLogFile(fileSystem: self, inode: inode, path: path)
    }

    public func createDirectory(atPath path: String) throws(StorageError) {
        state.withLock { state in
            var folder = path
            while !folder.isEmpty && folder != "/" && state.directories.insert(folder).inserted {
                folder = Self.parent(of: folder)
            }
        }
    }

    public func contentsOfDirectory(atPath path: String) throws(StorageError) -> [String] {
        try state.withLock { (state) throws(StorageError) -> [String] in
            guard state.directories.contains(path) else {
                throw StorageError(.notFound, "opendir failed: no such folder", path: path)
            }
            let children =
                state.paths.keys.filter { Self.parent(of: $0) == path }
                + state.directories.filter { $0 != path && Self.parent(of: $0) == path }
            return children.map { String($0.dropFirst(path == "/" ? 1 : path.count + 1)) }
        }
    }

    public func fileExists(atPath path: String) -> Bool {
        state.withLock { $0.paths[path] != nil || $0.directories.contains(path) }
    }

    public func isDirectory(atPath path: String) -> Bool {
        state.withLock { $0.directories.contains(path) }
    }

    public func rename(atPath source: String, toPath destination: String) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            if let inode = state.paths.removeValue(forKey: source) {
                state.paths[destination] = inode
            } else if state.directories.contains(source) {
                // A folder moves with everything under it.
                let prefix = source + "/"
                state.directories = Set(
                    state.directories.map {
                        $0 == source ? destination : $0.hasPrefix(prefix) ? destination + "/" + $0.dropFirst(prefix.count) : $0
                    })
                state.paths = Dictionary(
                    uniqueKeysWithValues: state.paths.map { path, inode in
                        (path.hasPrefix(prefix) ? destination + "/" + path.dropFirst(prefix.count) : path, inode)
                    })
            } else {
                throw StorageError(.notFound, "rename failed: no such file", path: source)
            }
        }
    }

    public func removeFile(atPath path: String) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            guard state.paths.removeValue(forKey: path) != nil else {
                throw StorageError(.notFound, "unlink failed: no such file", path: path)
            }
        }
    }

    public func removeDirectory(atPath path: String) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            guard state.directories.contains(path) else {
                throw StorageError(.notFound, "rmdir failed: no such folder", path: path)
            }
            guard !state.paths.keys.contains(where: { Self.parent(of: $0) == path }),
                !state.directories.contains(where: { $0 != path && Self.parent(of: $0) == path })
            else { throw StorageError(.ioError, "rmdir failed: folder not empty", path: path) }
            state.directories.remove(path)
        }
    }

    public func syncDirectory(atPath path: String) throws(StorageError) {}

    // MARK: - Operations on open files

    func size(ofInode inode: Int) -> Int64 {
        state.withLock { Int64($0.files[inode]!.bytes.count) }
    }

    func read(inode: Int, into buffer: inout ByteBuffer, count: Int, at offset: Int64) -> Int {
        let bytes = state.withLock { state -> ArraySlice<UInt8> in
            let file = state.files[inode]!.bytes
            let start = min(Int(offset), file.count)
            return file[start..<min(start + count, file.count)]
        }
        buffer.writeBytes(bytes)
        return bytes.count
    }

    func write(inode: Int, path: String, _ bytes: ByteBuffer, at offset: Int64) throws(StorageError) {
        try state.withLock { (state) throws(StorageError) in
            state.writeCount += 1
            var written = bytes.readableBytesView[...]
            let failure = Self.takeFault(from: &state.writeFaults, path: path)
            switch failure {
            case .ioError?: throw StorageError(.ioError, "pwrite failed: injected I/O error", path: path)
            case .noSpace?: throw StorageError(.noSpace, "pwrite failed: injected ENOSPC", path: path)
            case .shortWrite(let count)?: written = written.prefix(count)
            case nil: break
            }
            let start = Int(offset)
            let count = state.files[inode]!.bytes.count
            if count < start { state.files[inode]!.bytes.append(contentsOf: repeatElement(0, count: start - count)) }
            let overlap = min(written.count, state.files[inode]!.bytes.count - start)
            state.files[inode]!.bytes.replaceSubrange(start..<(start + overlap), with: written.prefix(overlap))
            state.files[inode]!.bytes.append(contentsOf: written.dropFirst(overlap))
            if failure != nil {
                throw StorageError(
                    .noSpace, "pwrite failed after \(written.count) of \(bytes.readableBytes) bytes: injected ENOSPC", path: path)
            }
        }
    }

    func sync(inode: Int, path: String) throws(StorageError) {
        let latency = state.withLock { $0.syncLatency }
        if latency > .zero {
            // Blocks the calling thread as a real fsync does (the flusher thread's, never the pool's).
            let (seconds, attoseconds) = latency.components
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            nanosleep(&request, nil)
        }
        try state.withLock { (state) throws(StorageError) in
            if Self.takeFault(from: &state.syncFaults, path: path) != nil {
                throw StorageError(.ioError, "fsync failed: injected I/O error", path: path, errno: 5)
            }
            state.files[inode]!.durableBytes = state.files[inode]!.bytes
            state.syncedPaths.append(path)
        }
    }

    func truncate(inode: Int, to size: Int64) {
        state.withLock { state in
            let count = Int(size)
            if state.files[inode]!.bytes.count > count {
                state.files[inode]!.bytes.removeSubrange(count...)
            } else {
                state.files[inode]!.bytes.append(contentsOf: repeatElement(0, count: count - state.files[inode]!.bytes.count))
            }
        }
    }

    /// Counts down the faults that apply to `path` and returns the failure of one that is due.
    private static func takeFault<Failure>(from faults: inout [PendingFault<Failure>], path: String) -> Failure? {
        var due: Failure?
        for index in faults.indices where path.hasSuffix(faults[index].pathSuffix) {
            faults[index].remainingCalls -= 1
            if faults[index].remainingCalls == 0 && due == nil { due = faults[index].failure }
        }
        faults.removeAll { $0.remainingCalls <= 0 }
        return due
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
