import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct KafkaPartitionerTests {
    let partitioner = KafkaPartitioner.default

    @Test func aKeyedRecordGoesWhereJavaClientsPutIt() {
        // kafka-python: murmur2(b"user-42") & 0x7fffffff is 1,459,644,460, and % 6 is 4, whether
        // or not partition 4 has a leader.
        #expect(partitioner.partition(key: ByteBuffer(string: "user-42"), allPartitions: Array(0..<6), availablePartitions: [0]) == 4)
    }

    @Test func unkeyedRecordsSpreadOverThePartitionsThatHaveALeader() {
        var counts: [Int32: Int] = [:]
        for _ in 0..<3_000 {
            counts[partitioner.partition(key: nil, allPartitions: Array(0..<6), availablePartitions: [1, 3, 4]), default: 0] += 1
        }
        #expect(Set(counts.keys) == [1, 3, 4])
        #expect(counts.values.allSatisfy { $0 > 800 })
    }

    @Test func unkeyedRecordsUseAnyPartitionWhenNoneHasALeaderAndNoneWithoutPartitions() {
        let chosen = Set((0..<200).map { _ in partitioner.partition(key: nil, allPartitions: [0, 1], availablePartitions: []) })
        #expect(chosen == [0, 1])
        #expect(partitioner.partition(key: nil, allPartitions: [7], availablePartitions: []) == 7)
        #expect(partitioner.partition(key: nil, allPartitions: [], availablePartitions: []) == -1)
    }
}
