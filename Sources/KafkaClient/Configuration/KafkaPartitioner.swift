import KafkaRecords
import NIOCore

/// kafka-python's `partitioner`: picks the partition of a record sent without an explicit one,
/// from the serialized key, all partitions (sorted) and those with a leader.
public struct KafkaPartitioner: Sendable {
    public typealias Choose = @Sendable (_ key: ByteBuffer?, _ allPartitions: [Int32], _ availablePartitions: [Int32]) -> Int32

    private let choose: Choose

    public init(_ choose: @escaping Choose) {
        self.choose = choose
    }

    func partition(key: ByteBuffer?, allPartitions: [Int32], availablePartitions: [Int32]) -> Int32 {
        choose(key, allPartitions, availablePartitions)
    }

    /// kafka-python's `DefaultPartitioner`: a keyed record goes to
    /// `all_partitions[(murmur2(key) & 0x7fffffff) % len(all_partitions)]`, the same partition Java
    /// clients pick; an unkeyed one to a random partition that has a leader (any, if none has).
    public static let `default` = KafkaPartitioner { key, allPartitions, availablePartitions in
        if let key {
            return allPartitions[DefaultPartitioner.partition(forKey: key, partitionCount: allPartitions.count)]
        }
        return (availablePartitions.randomElement() ?? allPartitions.randomElement())!
    }
}
