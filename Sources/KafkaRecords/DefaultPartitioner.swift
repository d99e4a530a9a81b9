import NIOCore

/// The partition Kafka's default partitioner (Java, kafka-python, aiokafka) picks for a non-null
/// key: `toPositive(murmur2(key)) % partitionCount`, where toPositive masks the sign bit rather
/// than taking abs(). librdkafka's default (CRC-32 based) differs; its `murmur2_random` matches.
public enum DefaultPartitioner {
    public static func partition(forKey key: ByteBuffer, partitionCount: Int) -> Int {
        partition(forHash: Murmur2.hash(key), partitionCount: partitionCount)
    }

    public static func partition(forKey key: some Sequence<UInt8>, partitionCount: Int) -> Int {
        partition(forHash: Murmur2.hash(key), partitionCount: partitionCount)
    }

    private static func partition(forHash hash: Int32, partitionCount: Int) -> Int {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return Int(hash & 0x7fff_ffff) % partitionCount
    }
}
