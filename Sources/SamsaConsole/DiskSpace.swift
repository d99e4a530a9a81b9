#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The size and free space of the file system a folder is on.
struct DiskSpace {
    var totalBytes: Int64
    var availableBytes: Int64

    /// nil when the folder cannot be examined.
    init?(path: String) {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let blockSize = Int64(stats.f_frsize)
        totalBytes = Int64(stats.f_blocks) * blockSize
        availableBytes = Int64(stats.f_bavail) * blockSize
    }
}
