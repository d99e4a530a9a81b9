import CCRC32C
import NIOCore

/// CRC-32C (Castagnoli), the checksum of RecordBatch v2. It runs on the CPU's crc32 instruction
/// when there is one, since every produced and fetched batch passes through it.
public enum CRC32C {
    /// Which code computes the checksum; `.table` exists so tests can compare the two paths.
    public enum Implementation: Sendable {
        /// The crc32 instruction when the CPU has it (checked at run time), else the table.
        case fastest
        /// The portable byte-at-a-time table.
        case table
    }

    /// Whether `.fastest` runs on the CPU's crc32 instruction.
    public static var isHardwareAccelerated: Bool { ccrc32c_hardware_available() }

    /// The checksum of `bytes`, continuing from `initial`: `checksum(b, initial: checksum(a))` equals
    /// the checksum of `a` followed by `b`.
    public static func checksum(
        _ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0, implementation: Implementation = .fastest
    ) -> UInt32 {
        switch implementation {
        case .fastest: ccrc32c_extend(initial, bytes.baseAddress, bytes.count)
        case .table: ccrc32c_extend_table(initial, bytes.baseAddress, bytes.count)
        }
    }

    /// The checksum of the readable bytes of `buffer`.
    public static func checksum(
        _ buffer: ByteBuffer, initial: UInt32 = 0, implementation: Implementation = .fastest
    ) -> UInt32 {
        buffer.withUnsafeReadableBytes { checksum($0, initial: initial, implementation: implementation) }
    }
}
