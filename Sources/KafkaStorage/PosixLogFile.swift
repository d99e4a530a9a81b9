import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor opened by `PosixFileSystem`. The descriptor is closed when the last
/// reference goes away, never explicitly: a reader that took the handle under a partition's lock
/// must not find the number closed (or reused for another file) while it reads.
final class PosixLogFile: LogFile {
    let descriptor: Int32
    let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    func size() throws(StorageError) -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw PosixFileSystem.error("fstat", path: path) }
        return Int64(status.st_size)
    }

    func read(into buffer: inout ByteBuffer, count: Int, at offset: Int64) throws(StorageError) -> Int {
        var total = 0
        while total < count {
            let wanted = count - total
            let position = offset + Int64(total)
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                result = retryingOnInterrupt { pread(descriptor, bytes.baseAddress, wanted, off_t(position)) }
                return max(result, 0)
            }
            if result < 0 { throw PosixFileSystem.error("pread", path: path) }
            if result == 0 { break }  // the end of the file
            total += result
        }
        return total
    }

    func write(_ buffer: ByteBuffer, at offset: Int64) throws(StorageError) {
        var written = 0
        let count = buffer.readableBytes
        while written < count {
            let result = buffer.withUnsafeReadableBytes { bytes in
                retryingOnInterrupt {
                    pwrite(descriptor, bytes.baseAddress! + written, count - written, off_t(offset + Int64(written)))
                }
            }
            guard result > 0 else { throw PosixFileSystem.error("pwrite", path: path) }
            written += result
        }
    }

    func sync() throws(StorageError) {
        #if os(Linux)
            // fdatasync also writes the file size, which is all the metadata an append changes.
            let result = retryingOnInterrupt { fdatasync(descriptor) }
        #else
            let result = retryingOnInterrupt { fsync(descriptor) }
        #endif
        guard result == 0 else { throw PosixFileSystem.error("fsync", path: path) }
    }

    func truncate(to size: Int64) throws(StorageError) {
        guard retryingOnInterrupt({ ftruncate(descriptor, off_t(size)) }) == 0 else {
            throw PosixFileSystem.error("ftruncate", path: path)
        }
    }
}
