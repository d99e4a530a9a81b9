import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file opened by `PosixFileSystem`, whose descriptor `DescriptorCache` may close while the
/// file is idle and reopens at the next call. The handle is released when the last reference goes
/// away, never explicitly: a reader that took the handle under a partition's lock must not find it
/// closed while it reads.
final class PosixLogFile: LogFile {
    private let descriptors: DescriptorCache

    init(descriptor: Int32, path: String, descriptors: DescriptorCache) {
        self.descriptors = descriptors
        descriptors.register(ObjectIdentifier(self), path: path, descriptor: descriptor)
    }

    deinit {
        descriptors.release(ObjectIdentifier(self))
    }

    var path: String { descriptors.path(of: ObjectIdentifier(self)) }

    private func withDescriptor<Result>(_ body: (Int32) throws(StorageError) -> Result) throws(StorageError) -> Result {
        try descriptors.withDescriptor(of: ObjectIdentifier(self), body)
    }

    func size() throws(StorageError) -> Int64 {
        try withDescriptor { (descriptor) throws(StorageError) in
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw PosixFileSystem.error("fstat", path: path) }
            return Int64(status.st_size)
        }
    }

    func read(into buffer: inout ByteBuffer, count: Int, at offset: Int64) throws(StorageError) -> Int {
        try withDescriptor { (descriptor) throws(StorageError) in try read(into: &buffer, count: count, at: offset, from: descriptor) }
    }

    private func read(into buffer: inout ByteBuffer, count: Int, at offset: Int64, from descriptor: Int32) throws(StorageError) -> Int {
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
        try withDescriptor { (descriptor) throws(StorageError) in try write(buffer, at: offset, to: descriptor) }
    }

    private func write(_ buffer: ByteBuffer, at offset: Int64, to descriptor: Int32) throws(StorageError) {
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
        try withDescriptor { (descriptor) throws(StorageError) in
            #if os(Linux)
                // fdatasync also writes the file size, which is all the metadata an append changes.
                let result = retryingOnInterrupt { fdatasync(descriptor) }
            #else
                let result = retryingOnInterrupt { fsync(descriptor) }
            #endif
            guard result == 0 else { throw PosixFileSystem.error("fsync", path: path) }
        }
    }

    func truncate(to size: Int64) throws(StorageError) {
        try withDescriptor { (descriptor) throws(StorageError) in
            guard retryingOnInterrupt({ ftruncate(descriptor, off_t(size)) }) == 0 else {
                throw PosixFileSystem.error("ftruncate", path: path)
            }
        }
    }
}
