import NIOCore

/// The file operations a log needs, as a seam: `PosixFileSystem` for real folders,
/// `InMemoryFileSystem` for tests that inject faults. Paths are plain strings joined with '/'.
public protocol LogFileSystem: Sendable {
    /// Opens a file for reading and writing; creates it (empty) when `creating` and it is missing.
    func openFile(atPath path: String, creating: Bool) throws(StorageError) -> any LogFile

    /// Creates a folder, and its missing parents; succeeds when it exists already.
    func createDirectory(atPath path: String) throws(StorageError)

    /// The names (not paths) of the entries of a folder, in no particular order.
    func contentsOfDirectory(atPath path: String) throws(StorageError) -> [String]

    func fileExists(atPath path: String) -> Bool

    func isDirectory(atPath path: String) -> Bool

    /// Renames atomically, replacing whatever `destination` was.
    func rename(atPath source: String, toPath destination: String) throws(StorageError)

    /// Removes a file. Open handles to it stay usable.
    func removeFile(atPath path: String) throws(StorageError)

    /// Removes an empty folder.
    func removeDirectory(atPath path: String) throws(StorageError)

    /// Makes the folder's entries durable (creations, renames, removals), as fsync on the folder.
    func syncDirectory(atPath path: String) throws(StorageError)
}

extension LogFileSystem {
    /// Removes a folder with everything in it.
    func removeDirectoryRecursively(atPath path: String) throws(StorageError) {
        for name in try contentsOfDirectory(atPath: path) {
            let child = path + "/" + name
            if isDirectory(atPath: child) {
                try removeDirectoryRecursively(atPath: child)
            } else {
                try removeFile(atPath: child)
            }
        }
        try removeDirectory(atPath: path)
    }

    /// Replaces a small file's contents crash-safely: writes a temporary file, fsyncs it, renames
    /// it over the old one and fsyncs the folder, so a reader sees the old or the new whole file.
    func writeFileAtomically(_ bytes: [UInt8], atPath path: String, inDirectory directory: String) throws(StorageError) {
        let temporaryPath = path + ".tmp"
        let file = try openFile(atPath: temporaryPath, creating: true)
        try file.truncate(to: 0)
        try file.write(ByteBuffer(bytes: bytes), at: 0)
        try file.sync()
        try rename(atPath: temporaryPath, toPath: path)
        try syncDirectory(atPath: directory)
    }

    /// The whole contents of a small file.
    func readWholeFile(atPath path: String) throws(StorageError) -> ByteBuffer {
        let file = try openFile(atPath: path, creating: false)
        let size = try file.size()
        var buffer = ByteBuffer()
        _ = try file.read(into: &buffer, count: Int(size), at: 0)
        return buffer
    }
}
