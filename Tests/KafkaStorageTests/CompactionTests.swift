import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Compaction", .tags(.component))
struct CompactionTests {
    func compactedLog(
        _ batches: [[TestRecord]], deleteRetentionMs: Int64 = 24 * 3_600_000
    ) throws -> (TestDataFolder, PartitionLog) {
        let folder = TestDataFolder()
        let configuration = LogConfiguration(
            segmentBytes: 200, cleanupPolicy: .compact, deleteRetentionMs: deleteRetentionMs)
        let log = try folder.open(configuration).createLog(testPartition, topicId: nil)
        for batch in batches { _ = try log.append(makeBatch(batch), appendTimeMs: 0) }
        return (folder, log)
    }

    @Test func keepsOnlyTheLatestRecordOfEachKeyWithItsOffset() throws {
        let (folder, log) = try compactedLog([
            [TestRecord(key: "a", value: "a1", timestamp: 1), TestRecord(key: "b", value: "b1", timestamp: 2)],
            [TestRecord(key: "a", value: "a2", timestamp: 3)],
            [TestRecord(key: "c", value: "c1", timestamp: 4), TestRecord(key: "b", value: "b2", timestamp: 5)],
            [TestRecord(key: "a", value: "a3", timestamp: 6)],
            // The active segment, never compacted.
            [TestRecord(key: "z", value: "z1", timestamp: 7)],
        ])
        #expect(log.segmentCount >= 3)
        let before = try readAll(log)
        #expect(try log.compact(nowMs: 100) > 0)

        let after = try readAll(log)
        #expect(after.map(\.offset) == [3, 4, 5, 6])
        #expect(after.map(\.valueString) == ["c1", "b2", "a3", "z1"])
        #expect(after.map(\.timestamp) == [4, 5, 6, 7])
        #expect(log.logEndOffset == before.count)
        #expect(try log.read(from: 0, maxBytes: 1, minOneBatch: true).records.readableBytes > 0)
        // Reading an offset that compaction removed returns the next batch.
        #expect(try records(in: log.read(from: 1, maxBytes: 1, minOneBatch: true).records).first?.offset == 3)
        #expect(try folder.fileSystem.contentsOfDirectory(atPath: "/data/orders-0").allSatisfy { !$0.hasSuffix(".cleaned") })

        // What compaction wrote survives a restart.
        let reopened = try #require(try folder.open().log(for: testPartition))
        #expect(try readAll(reopened).map(\.valueString) == ["c1", "b2", "a3", "z1"])
        _ = try reopened.append(makeBatch(count: 1), appendTimeMs: 0)
        #expect(reopened.logEndOffset == 8)
    }

    @Test func compressedBatchesAreRewrittenWithTheirCodec() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 200, cleanupPolicy: .compact)).createLog(testPartition, topicId: nil)
        let records = [TestRecord(key: "a", value: "a1"), TestRecord(key: "b", value: "b1"), TestRecord(key: "a", value: "a2")]
        _ = try log.append(makeBatch(records, compression: .gzip), appendTimeMs: 0)
        _ = try log.append(makeBatch(count: 1, valueSize: 120), appendTimeMs: 0)
        #expect(log.segmentCount == 2)
        #expect(try log.compact(nowMs: 10_000) == 1)
        let stored = try batches(in: log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true).records)
        #expect(stored.first?.header.attributes.compression == .gzip)
        #expect(stored.first?.header.lastOffsetDelta == 2)
        #expect(try readAll(log).map(\.offset) == [1, 2, 3])
        #expect(try readAll(log).map(\.valueString).prefix(2) == ["b1", "a2"])
    }

    @Test func tombstonesAreDroppedOnlyOnceOlderThanDeleteRetention() throws {
        let (_, log) = try compactedLog(
            [
                [TestRecord(key: "a", value: "a1", timestamp: 1_000)],
                [TestRecord(key: "a", value: nil, timestamp: 2_000), TestRecord(key: "b", value: "b1", timestamp: 2_000)],
                [TestRecord(key: "c", value: "c1", timestamp: 3_000)],
                [TestRecord(key: "d", value: "d1", timestamp: 4_000)],
            ],
            deleteRetentionMs: 5_000)
        try log.compact(nowMs: 6_000)
        // At 6000 the tombstone (2000) is younger than delete.retention.ms (5000): it stays.
        let kept = try readAll(log)
        #expect(kept.map(\.keyString) == ["a", "b", "c", "d"])
        #expect(kept.first?.value == nil)

        try log.compact(nowMs: 7_001)
        #expect(try readAll(log).map(\.keyString) == ["b", "c", "d"])
    }

    @Test func segmentsYoungerThanTheCompactionLagAreLeftAlone() throws {
        let folder = TestDataFolder()
        let configuration = LogConfiguration(segmentBytes: 100, cleanupPolicy: .compact, minCompactionLagMs: 1_000)
        let log = try folder.open(configuration).createLog(testPartition, topicId: nil)
        for timestamp: Int64 in [10, 20, 30] {
            _ = try log.append(makeBatch([TestRecord(key: "k", value: "v\(timestamp)", timestamp: timestamp)]), appendTimeMs: 0)
        }
        #expect(try log.compact(nowMs: 500) == 0)
        #expect(try readAll(log).count == 3)
        // The active segment's record does not take part, as in Kafka: v20 is the latest closed one.
        #expect(try log.compact(nowMs: 2_000) == 1)
        #expect(try readAll(log).map(\.valueString) == ["v20", "v30"])
    }

    /// One record per batch, two batches per 200-byte segment.
    func appendOneRecordBatches(_ values: [(key: String, value: String?, timestamp: Int64)], to log: PartitionLog) throws {
        for record in values {
            _ = try log.append(makeBatch([TestRecord(key: record.key, value: record.value, timestamp: record.timestamp)]), appendTimeMs: 0)
        }
    }

    @Test func theCleanerWaitsForTheDirtyRatioAndForgetsNothing() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 200, cleanupPolicy: .compact, minCleanableDirtyRatio: 0.9))
            .createLog(testPartition, topicId: nil)
        try appendOneRecordBatches([("k", "v0", 1_000), ("k", "v1", 1_000), ("k", "v2", 1_000), ("k", "v3", 1_000)], to: log)
        #expect(log.segmentCount == 2)
        #expect(try log.compactIfDue(nowMs: 2_000) == 1, "a log never compacted is all dirty")
        #expect(try readAll(log).map(\.valueString) == ["v1", "v2", "v3"])
        #expect(try log.compactIfDue(nowMs: 2_000) == 0, "nothing was written since")

        try appendOneRecordBatches([("k", "v4", 1_000), ("k", "v5", 1_000)], to: log)
        #expect(log.segmentCount == 3)
        #expect(try log.compactIfDue(nowMs: 2_000) == 0, "the dirty segment is less than 90% of the cleanable bytes")
        #expect(try readAll(log).count == 5)

        var lagging = LogConfiguration(segmentBytes: 200, cleanupPolicy: .compact, minCleanableDirtyRatio: 0.9)
        lagging.maxCompactionLagMs = 500
        log.updateConfiguration(lagging)
        #expect(try log.compactIfDue(nowMs: 1_400) == 0, "the oldest dirty record is 400 ms old")
        #expect(try log.compactIfDue(nowMs: 1_501) > 0, "past max.compaction.lag.ms the ratio does not matter")
        #expect(try readAll(log).map(\.valueString) == ["v3", "v4", "v5"])
    }

    @Test func theCleanerComesBackForATombstoneOnceDeleteRetentionHasPassed() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 200, cleanupPolicy: .compact, deleteRetentionMs: 5_000))
            .createLog(testPartition, topicId: nil)
        try appendOneRecordBatches([("a", "a1", 1_000), ("a", nil, 2_000), ("b", "b1", 3_000), ("c", "c1", 3_000)], to: log)
        #expect(try log.compactIfDue(nowMs: 3_000) == 1)
        #expect(try readAll(log).map(\.keyString) == ["a", "b", "c"], "the tombstone is kept for delete.retention.ms")
        #expect(try log.compactIfDue(nowMs: 7_000) == 0)
        #expect(try log.compactIfDue(nowMs: 7_001) == 1)
        #expect(try readAll(log).map(\.keyString) == ["b", "c"])
    }

    @Test func transactionMarkersAreKeptWhole() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 200, cleanupPolicy: .compact)).createLog(testPartition, topicId: nil)
        // A commit marker's key is its version and type (0, 1): the same bytes as this record's key.
        let markerKey = String(decoding: [0, 0, 0, 1], as: UTF8.self)
        try appendOneRecordBatches([(markerKey, "user", 1_000)], to: log)
        _ = try log.appendMarker(ControlRecord(type: .commit, coordinatorEpoch: 0), producerId: 7, producerEpoch: 0, timestampMs: 1_000)
        try appendOneRecordBatches([("z", "z1", 1_000)], to: log)
        #expect(log.segmentCount == 2)
        try log.compact(nowMs: 2_000)
        // The compacted segment: the record and the marker of the same key bytes, neither hiding the other.
        let stored = try batches(in: log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true).records)
        #expect(stored.map(\.header.attributes.isControl) == [false, true])
    }

    @Test func nothingIsCompactedUnderTheDeletePolicy() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 100)).createLog(testPartition, topicId: nil)
        for _ in 0..<3 { _ = try log.append(makeBatch([TestRecord(key: "k", value: "v")]), appendTimeMs: 0) }
        #expect(try log.compact(nowMs: 1_000_000) == 0)
        #expect(try readAll(log).count == 3)
    }
}
