import KafkaRecords
import KafkaStorage
import SamsaTestSupport
import Testing

@Suite("Retention", .tags(.component))
struct RetentionTests {
    /// Ten segments of one 2-record batch each, the Nth with timestamps N * 1000.
    func tenSegments(_ configuration: LogConfiguration) throws -> (TestDataFolder, PartitionLog) {
        let folder = TestDataFolder()
        var configuration = configuration
        configuration.segmentBytes = 150
        let log = try folder.open(configuration).createLog(testPartition, topicId: nil)
        for index in 0..<10 {
            _ = try log.append(makeBatch(count: 2, timestamp: Int64(index) * 1000), appendTimeMs: 0)
        }
        #expect(log.segmentCount == 10)
        return (folder, log)
    }

    func segmentFiles(_ folder: TestDataFolder) throws -> [String] {
        try folder.fileSystem.contentsOfDirectory(atPath: "/data/orders-0").filter { $0.hasSuffix(".log") }.sorted()
    }

    @Test func segmentsOlderThanRetentionMsAreDeleted() throws {
        let (folder, log) = try tenSegments(LogConfiguration(retentionMs: 3500))
        // At 7000, segments whose newest record is older than 3500 (timestamps 0...3000) go.
        #expect(try log.applyRetention(nowMs: 7000) == 4)
        #expect(log.logStartOffset == 8)
        #expect(log.segmentCount == 6)
        #expect(try segmentFiles(folder).first == "00000000000000000008.log")
        #expect(!folder.fileSystem.fileExists(atPath: folder.segmentPath(testPartition, baseOffset: 0, suffix: ".index")))
        #expect(try readAll(log).map(\.offset) == Array(8..<20))
        #expect(throws: StorageError.self) { try log.read(from: 7, maxBytes: 100, minOneBatch: true) }
    }

    @Test func theActiveSegmentIsNeverDeleted() throws {
        let (_, log) = try tenSegments(LogConfiguration(retentionMs: 0))
        #expect(try log.applyRetention(nowMs: 1_000_000) == 9)
        #expect(log.segmentCount == 1)
        #expect(log.logStartOffset == 18)
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        #expect(log.logEndOffset == 21)
    }

    @Test func oldestSegmentsGoWhileTheLogIsLargerThanRetentionBytes() throws {
        let (folder, log) = try tenSegments(LogConfiguration(retentionMs: -1, retentionBytes: 1))
        let segmentSize = log.sizeInBytes / 10
        log.updateConfiguration(LogConfiguration(segmentBytes: 150, retentionMs: -1, retentionBytes: 3 * segmentSize + 10))
        // Deleting a seventh segment would take the log below retention.bytes (as Kafka, the
        // log stays at or above it), so four remain.
        #expect(try log.applyRetention(nowMs: 0) == 6)
        #expect(log.sizeInBytes == 4 * segmentSize)
        #expect(log.logStartOffset == 12)
        #expect(try segmentFiles(folder).count == 4)
    }

    @Test func retentionDoesNothingForACompactOnlyTopic() throws {
        let (_, log) = try tenSegments(LogConfiguration(retentionMs: 0, cleanupPolicy: .compact))
        #expect(try log.applyRetention(nowMs: 1_000_000) == 0)
        #expect(log.logStartOffset == 0)
    }

    @Test func theLogStartOffsetSurvivesARestart() throws {
        let (folder, log) = try tenSegments(LogConfiguration(retentionMs: 3500))
        try log.applyRetention(nowMs: 7000)
        let reopened = try #require(try folder.open().log(for: testPartition))
        #expect(reopened.logStartOffset == 8)
        #expect(reopened.logEndOffset == 20)
    }
}
