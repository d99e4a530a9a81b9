import NIOCore

/// A handle to a file of an `InMemoryFileSystem`, bound to the file itself (its inode), not
/// to its path.
final class InMemoryLogFile: LogFile {
    let fileSystem: InMemoryFileSystem
    let inode: Int
    let path: String

    init(fileSystem: InMemoryFileSystem, inode: Int, path: String) {
        self.fileSystem = fileSystem
        self.inode = inode
        self.path = path
    }

    func size() throws(StorageError) -> Int64 {
        fileSystem.size(ofInode: inode)
    }

    func read(into buffer: inout ByteBuffer, count: Int, at offset: Int64) throws(StorageError) -> Int {
        fileSystem.read(inode: inode, into: &buffer, count: count, at: offset)
    }

    func write(_ buffer: ByteBuffer, at offset: Int64) throws(StorageError) {
        try fileSystem.write(inode: inode, path: path, buffer, at: offset)
    }

    func sync() throws(StorageError) {
        try fileSystem.sync(inode: inode, path: path)
    }

    func truncate(to size: Int64) throws(StorageError) {
        fileSystem.truncate(inode: inode, to: size)
    }
}
