import NIOCore

/// An open file of a log: a segment, an index or a checkpoint. Positional reads and writes only,
/// so one handle serves concurrent readers while the appender writes at the end.
///
/// The handle stays usable until it is released, even after its path was renamed or removed:
/// a fetch that looked up a segment under the partition's lock may read it after retention has
/// deleted it, as on POSIX an open descriptor keeps an unlinked file alive.
public protocol LogFile: AnyObject, Sendable {
    /// The path the file was opened at.
    var path: String { get }

    /// The current size in bytes.
    func size() throws(StorageError) -> Int64

    /// Reads up to `count` bytes at `offset` onto the end of `buffer` (pread) and returns how many
    /// were read: fewer than `count` only at the end of the file.
    func read(into buffer: inout ByteBuffer, count: Int, at offset: Int64) throws(StorageError) -> Int

    /// Writes all readable bytes of `buffer` at `offset` (pwrite), or throws. After a throw some
    /// of the bytes may have been written; the caller truncates them away.
    func write(_ buffer: ByteBuffer, at offset: Int64) throws(StorageError)

    /// Makes everything written so far durable (fsync / fdatasync).
    func sync() throws(StorageError)

    /// Cuts the file to `size` bytes.
    func truncate(to size: Int64) throws(StorageError)
}
