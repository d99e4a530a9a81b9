import CCompressZlib
import NIOCore

/// CRC-32 (IEEE 802.3, zlib's checksum), which legacy v0/v1 messages carry. Computed by zlib,
/// which compress-nio already links for gzip; legacy messages are only read, never on a hot path.
public enum CRC32 {
    /// The checksum of `bytes`, continuing from `initial` (0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        var crc = UInt(initial)
        var start = 0
        // zlib takes a 32-bit length, so feed it in pieces.
        repeat {
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + Int(UInt32.max))])
            crc = crc32(crc, piece.baseAddress?.assumingMemoryBound(to: Bytef.self), UInt32(piece.count))
            start += piece.count
        } while start < bytes.count
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The checksum of the readable bytes of `buffer`.
    public static func checksum(_ buffer: ByteBuffer, initial: UInt32 = 0) -> UInt32 {
        buffer.withUnsafeReadableBytes { checksum($0, initial: initial) }
    }
}
