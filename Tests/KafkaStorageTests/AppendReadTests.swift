import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Append and read", .tags(.component))
struct AppendReadTests {
    @Test func appendsAssignOffsetsAndReadsReturnTheBatchesAsStored() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        let first = try log.append(makeBatch(count: 3), appendTimeMs: 10)
        let second = try log.append(makeBatch(count: 2), appendTimeMs: 11)
        #expect((first.firstOffset, first.lastOffset, first.recordCount, first.isDuplicate) == (0, 2, 3, false))
        #expect((second.firstOffset, second.lastOffset, second.recordCount) == (3, 4, 2))
        #expect(log.logEndOffset == 5)
        #expect(log.highWatermark == 5)

        let read = try log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true)
        let stored = try batches(in: read.records)
        #expect(stored.map(\.header.baseOffset) == [0, 3])
        #expect(stored.allSatisfy { $0.header.partitionLeaderEpoch == -1 })
        #expect(try records(in: read.records).map(\.offset) == [0, 1, 2, 3, 4])
        #expect(try records(in: read.records).map(\.valueString) == ["v0", "v1", "v2", "v0", "v1"])
        #expect(read.highWatermark == 5 && read.logStartOffset == 0 && read.logEndOffset == 5)
    }

    @Test func severalBatchesInOneAppendGetConsecutiveOffsets() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        var both = makeBatch(count: 2)
        var second = makeBatch(count: 3)
        both.writeBuffer(&second)
        let result = try log.append(both, appendTimeMs: 0)
        #expect((result.firstOffset, result.lastOffset, result.recordCount) == (0, 4, 5))
        let stored = try batches(in: log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true).records)
        #expect(stored.map(\.header.baseOffset) == [0, 2])
    }

    @Test func readingFromTheMiddleOfABatchReturnsThatWholeBatch() throws {
        let folder = TestDataFolder()
        // A small index interval, so the lookup goes through index entries.
        let log = try folder.open(LogConfiguration(indexIntervalBytes: 1)).createLog(testPartition, topicId: nil)
        for _ in 0..<10 { _ = try log.append(makeBatch(count: 5), appendTimeMs: 0) }
        for offset: Int64 in [0, 7, 23, 49] {
            let stored = try batches(in: log.read(from: offset, maxBytes: 1, minOneBatch: true).records)
            #expect(stored.count == 1)
            #expect(stored.first?.header.baseOffset == offset / 5 * 5, "read from \(offset)")
        }
    }

    @Test func minOneBatchReturnsABatchLargerThanMaxBytesAndNeverAPartialOne() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        _ = try log.append(makeBatch(count: 1, valueSize: 1000), appendTimeMs: 0)
        _ = try log.append(makeBatch(count: 1, valueSize: 1000), appendTimeMs: 0)
        let batchSize = try batches(in: log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true).records)[0].header.totalSize

        let forced = try log.read(from: 0, maxBytes: 10, minOneBatch: true)
        #expect(forced.records.readableBytes == batchSize)
        #expect(try log.read(from: 0, maxBytes: 10, minOneBatch: false).records.readableBytes == 0)
        // Room for one and a half batches: only the whole one comes back.
        let cut = try log.read(from: 0, maxBytes: batchSize + batchSize / 2, minOneBatch: false)
        #expect(try batches(in: cut.records).count == 1)
        #expect(cut.records.readableBytes == batchSize)
    }

    @Test func readsFillMaxBytesWithWholeBatches() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(indexIntervalBytes: 150)).createLog(testPartition, topicId: nil)
        var sizes: [Int] = []
        for index in 0..<60 {
            let batch = makeBatch(count: 1 + index % 3, valueSize: index % 7 * 10)
            sizes.append(batch.readableBytes)
            _ = try log.append(batch, appendTimeMs: 0)
        }
        for (firstBatch, maxBytes) in [(0, 500), (7, 1000), (13, 2345), (40, 100_000)] {
            let offset = try batches(in: log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true).records)[firstBatch].header.baseOffset
            let read = try log.read(from: offset, maxBytes: maxBytes, minOneBatch: false)
            // As many whole batches as fit, and not one more.
            var expected = 0
            var count = 0
            while firstBatch + count < sizes.count && expected + sizes[firstBatch + count] <= maxBytes {
                expected += sizes[firstBatch + count]
                count += 1
            }
            #expect(read.records.readableBytes == expected, "from batch \(firstBatch) with \(maxBytes) bytes")
            #expect(try batches(in: read.records).count == count)
        }
    }

    @Test func readsAtTheEndAreEmptyAndOutsideTheLogFail() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)
        #expect(try log.read(from: 2, maxBytes: 100, minOneBatch: true).records.readableBytes == 0)
        #expect(throws: StorageError.self) { try log.read(from: 3, maxBytes: 100, minOneBatch: true) }
        #expect(throws: StorageError.self) { try log.read(from: -1, maxBytes: 100, minOneBatch: true) }
        do {
            _ = try log.read(from: 3, maxBytes: 100, minOneBatch: true)
        } catch {
            #expect(error.code == .offsetOutOfRange)
        }
    }

    @Test func segmentsRollAtSegmentBytesAndReadsCrossThem() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 1024)).createLog(testPartition, topicId: nil)
        for _ in 0..<20 { _ = try log.append(makeBatch(count: 2, valueSize: 100), appendTimeMs: 0) }
        #expect(log.segmentCount > 3)
        #expect(try readAll(log).map(\.offset) == Array(0..<40))
        // Every segment file is named after its first offset and stays under segment.bytes.
        let names = try folder.fileSystem.contentsOfDirectory(atPath: "/data/orders-0").filter { $0.hasSuffix(".log") }.sorted()
        #expect(names.first == "00000000000000000000.log")
        #expect(names.count == log.segmentCount)
        for name in names { #expect(folder.size(ofFileAt: "/data/orders-0/" + name) <= 1024) }
    }

    @Test func segmentsRollWhenOlderThanSegmentMs() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentMs: 1000)).createLog(testPartition, topicId: nil)
        _ = try log.append(makeBatch(count: 1, timestamp: 10_000), appendTimeMs: 0)
        _ = try log.append(makeBatch(count: 1, timestamp: 10_500), appendTimeMs: 0)
        #expect(log.segmentCount == 1)
        _ = try log.append(makeBatch(count: 1, timestamp: 11_001), appendTimeMs: 0)
        #expect(log.segmentCount == 2)
    }

    @Test func indexLookupsWorkAfterReopening() throws {
        let folder = TestDataFolder()
        let configuration = LogConfiguration(segmentBytes: 4096, indexIntervalBytes: 200)
        let manager = try folder.open(configuration)
        let log = try manager.createLog(testPartition, topicId: nil)
        for _ in 0..<60 { _ = try log.append(makeBatch(count: 3, valueSize: 50), appendTimeMs: 0) }
        try manager.shutdown()
        #expect(folder.size(ofFileAt: folder.segmentPath(testPartition, baseOffset: 0, suffix: ".index")) > 0)

        let reopened = try folder.open(configuration).log(for: testPartition)!
        #expect(reopened.logEndOffset == 180)
        for offset: Int64 in [0, 1, 50, 100, 151, 179] {
            let first = try batches(in: reopened.read(from: offset, maxBytes: 1, minOneBatch: true).records).first
            #expect(first?.header.baseOffset == offset / 3 * 3)
        }
        #expect(try readAll(reopened).map(\.offset) == Array(0..<180))
    }

    @Test func timestampLookupsFindTheFirstRecordAtOrAfterTheTime() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 600, indexIntervalBytes: 1)).createLog(testPartition, topicId: nil)
        for batch in 0..<10 {
            let base = Int64(batch) * 100
            _ = try log.append(
                makeBatch([TestRecord(key: nil, value: "a", timestamp: base), TestRecord(key: nil, value: "b", timestamp: base + 50)]),
                appendTimeMs: 0)
        }
        #expect(log.segmentCount > 1)
        #expect(try log.offsetForTimestamp(0)! == (0, 0))
        #expect(try log.offsetForTimestamp(420)! == (9, 450))
        #expect(try log.offsetForTimestamp(450)! == (9, 450))
        #expect(try log.offsetForTimestamp(451)! == (10, 500))
        #expect(try log.offsetForTimestamp(951) == nil)
        #expect(try log.offsetOfMaxTimestamp()! == (19, 950))
    }
}
