import NIOCore

/// Java's `org.apache.kafka.common.utils.Utils.murmur2` (MurmurHash2, seed 0x9747b28c), the hash
/// behind the Java, kafka-python and aiokafka default partitioners; keys must hash identically
/// for records to land in the partitions other clients pick.
public enum Murmur2 {
    private static let seed: UInt32 = 0x9747_b28c
    private static let m: UInt32 = 0x5bd1_e995
    private static let r: UInt32 = 24

    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let length = bytes.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        var index = 0
        while index + 4 <= length {
            var k = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
            index += 4
        }
        let tail = length & 3
        if tail >= 3 { h ^= UInt32(bytes[index + 2]) << 16 }
        if tail >= 2 { h ^= UInt32(bytes[index + 1]) << 8 }
        if tail >= 1 {
            h ^= UInt32(bytes[index])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The hash of the readable bytes of `buffer`.
    public static func hash(_ buffer: ByteBuffer) -> Int32 {
        buffer.withUnsafeReadableBytes { hash($0) }
    }

    public static func hash(_ bytes: some Sequence<UInt8>) -> Int32 {
        bytes.withContiguousStorageIfAvailable { hash(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { hash($0) }
    }
}
