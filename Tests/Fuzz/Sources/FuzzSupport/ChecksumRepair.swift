import KafkaRecords
import NIOCore

/// Rewrites the CRC-32C of every v2 batch found by walking the input from its start, so that
/// mutated inputs get past the checksum into the record, codec and recovery code behind it.
public enum ChecksumRepair {
    public static func repaired(_ input: ByteBuffer) -> ByteBuffer {
        var bytes = input
        var position = bytes.readerIndex
        // Batch length (at +8) counts from the partition leader epoch (+12) on; the CRC (+17)
        // covers everything from the attributes (+21) on.
        while let length = bytes.getInteger(at: position + 8, as: Int32.self), length >= 49,
            let magic = bytes.getInteger(at: position + 16, as: UInt8.self), magic == 2
        {
            let end = position + 12 + Int(length)
            guard end <= bytes.writerIndex, let covered = bytes.getSlice(at: position + 21, length: end - position - 21) else { break }
            bytes.setInteger(CRC32C.checksum(covered), at: position + 17)
            position = end
        }
        return bytes
    }
}
