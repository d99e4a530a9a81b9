import KafkaRecords
import NIOCore
import Synchronization

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
        let candidates = availablePartitions.isEmpty ? allPartitions : availablePartitions
        // -1 for a topic without partitions, which the producer refuses with a clear error.
        guard candidates.count > 1 else { return candidates.first ?? -1 }
        return unkeyedChoice.withLock { candidates.randomElement(using: &$0)! }
    }

    /// Seeded once from the system generator, which would cost a system call per unkeyed record
    /// (8% of `samsa perf produce`'s time).
    private static let unkeyedChoice = Mutex(SplitMix64(seed: UInt64.random(in: .min ... .max)))
}
