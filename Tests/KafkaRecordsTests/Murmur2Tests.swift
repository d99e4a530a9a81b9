import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct Murmur2Tests {
    // From Kafka's UtilsTest.testMurmur2 as recorded in notes/client-requirements.md §4, and equal
    // to kafka-python 3.0.12's `murmur2` (which returns them unsigned).
    @Test(
        arguments: [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
            ("", 275_646_681),
        ] as [(String, Int32)])
    func javaTestVectors(key: String, expected: Int32) {
        #expect(Murmur2.hash(key.utf8) == expected)
        #expect(Murmur2.hash(ByteBuffer(string: key)) == expected)
    }

    @Test func bytesAbove0x7FAreUnsigned() {
        // kafka-python: murmur2(b"\xff\xfe\x80\x00\x01") == 4182458381
        #expect(Murmur2.hash([0xFF, 0xFE, 0x80, 0x00, 0x01]) == Int32(bitPattern: 4_182_458_381))
    }

    // kafka-python 3.0.12: (murmur2(key) & 0x7fffffff) % n for n in (1, 3, 7, 12, 100).
    @Test(arguments: [
        ("21", [0, 0, 3, 0, 40]),
        ("foobar", [0, 0, 0, 6, 66]),
        ("a-little-bit-long-string", [0, 2, 1, 8, 12]),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", [0, 2, 3, 5, 77]),
        ("", [0, 0, 2, 9, 81]),
    ])
    func partitionsMatchKafkaPython(key: String, expected: [Int]) {
        let partitions = [1, 3, 7, 12, 100].map { DefaultPartitioner.partition(forKey: key.utf8, partitionCount: $0) }
        #expect(partitions == expected)
        let fromBuffer = [1, 3, 7, 12, 100].map {
            DefaultPartitioner.partition(forKey: ByteBuffer(string: key), partitionCount: $0)
        }
        #expect(fromBuffer == expected)
    }
}
