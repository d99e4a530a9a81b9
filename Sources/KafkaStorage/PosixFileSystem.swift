#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The real file system, through system calls directly (no Foundation on the append and fetch
/// paths). Interrupted calls are retried; failures become `StorageError`s carrying the errno.
///
/// Open files share at most `maximumOpenFiles` descriptors (`DescriptorCache`), so the number of
/// partitions is bounded by memory, not by the process's descriptor limit.
public struct PosixFileSystem: LogFileSystem {
    private let descriptors: DescriptorCache

    /// - Parameter maximumOpenFiles: descriptors kept open for idle files; by default half of the
    ///   process's soft descriptor limit, leaving the other half to connections.
    public init(maximumOpenFiles: Int = DescriptorLimit.current().soft / 2) {
        descriptors = DescriptorCache(capacity: max(1, maximumOpenFiles))
    }

    /// The most descriptors kept open for idle files.
    public var maximumOpenFiles: Int { descriptors.capacity }

    /// Descriptors open now, and how often one was reopened after it was closed for being idle.
    public var descriptorUse: (open: Int, reopened: Int) { (descriptors.openCount, descriptors.reopenCount) }

    public func openFile(atPath path: String, creating: Bool) throws(StorageError) -> any LogFile {
        let flags = O_RDWR | O_CLOEXEC | (creating ? O_CREAT : 0)
        let descriptor = retryingOnInterrupt { open(path, flags, 0o644) }
        guard descriptor >= 0 else { throw Self.error("open", path: path) }
        return PosixLogFile(descriptor: descriptor, path: path, descriptors: descriptors)
    }

    public func createDirectory(atPath path: String) throws(StorageError) {
        if isDirectory(atPath: path) { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try createDirectory(atPath: String(path[..<slash]))
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw Self.error("mkdir", path: path) }
    }

    public func contentsOfDirectory(atPath path: String) throws(StorageError) -> [String] {
        guard let directory = opendir(path) else { throw Self.error("opendir", path: path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func fileExists(atPath path: String) -> Bool {
        access(path, F_OK) == 0
    }

    public func isDirectory(atPath path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    public func rename(atPath source: String, toPath destination: String) throws(StorageError) {
        try descriptors.rename(from: source, to: destination) { () throws(StorageError) in
            #if canImport(Glibc)
                let result = Glibc.rename(source, destination)
            #elseif canImport(Musl)
                let result = Musl.rename(source, destination)
            #else
                let result = Darwin.rename(source, destination)
            #endif
            guard result == 0 else { throw Self.error("rename to \(destination)", path: source) }
        }
    }

    public func removeFile(atPath path: String) throws(StorageError) {
        try descriptors.remove(path: path) { () throws(StorageError) in
            guard unlink(path) == 0 else { throw Self.error("unlink", path: path) }
        }
    }

    public func removeDirectory(atPath path: String) throws(StorageError) {
        guard rmdir(path) == 0 else { throw Self.error("rmdir", path: path) }
    }

    public func syncDirectory(atPath path: String) throws(StorageError) {
        let descriptor = retryingOnInterrupt { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw Self.error("open", path: path) }
        defer { close(descriptor) }
        guard retryingOnInterrupt({ fsync(descriptor) }) == 0 else { throw Self.error("fsync", path: path) }
    }

    /// The error for the system call that just failed, classified by errno.
    static func error(_ call: String, path: String) -> StorageError {
        let number = errno
        let reason = String(cString: strerror(number))
        let code: StorageError.Code =
            switch number {
            case ENOSPC, EDQUOT: .noSpace
            case ENOENT: .notFound
            case EEXIST: .alreadyExists
            default: .ioError
            }
        return StorageError(code, "\(call) failed: \(reason)", path: path, errno: number)
    }
}

/// Runs a system call again while it fails with EINTR.
func retryingOnInterrupt<Result: FixedWidthInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}
