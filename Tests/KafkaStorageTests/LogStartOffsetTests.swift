import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

/// DeleteRecords in storage: the log start offset moves forward only, reads and timestamp lookups
/// honour it, whole segments below it go, and it survives clean and unclean restarts.
@Suite("Log start offset", .tags(.component))
struct LogStartOffsetTests {
    /// Five segments of one 2-record batch each, the Nth with timestamps N * 1000.
    func fiveSegments() throws -> (TestDataFolder, LogManager, PartitionLog) {
        let folder = TestDataFolder()
        let manager = try folder.open(LogConfiguration(segmentBytes: 150))
        let log = try manager.createLog(testPartition, topicId: nil)
        for index in 0..<5 {
            _ = try log.append(makeBatch(count: 2, timestamp: Int64(index) * 1000), appendTimeMs: 0)
        }
        #expect(log.segmentCount == 5)
        return (folder, manager, log)
    }

    func segmentFiles(_ folder: TestDataFolder) throws -> [String] {
        try folder.fileSystem.contentsOfDirectory(atPath: "/data/orders-0").filter { $0.hasSuffix(".log") }.sorted()
    }

    @Test func deletingRecordsMovesTheStartAndRemovesTheSegmentsWhollyBelowIt() throws {
        let (folder, manager, log) = try fiveSegments()
        #expect(try manager.deleteRecords(of: log, before: 5) == 5)
        #expect(log.logStartOffset == 5)
        // Offsets 4 and 5 share the segment at 4, which stays.
        #expect(try segmentFiles(folder) == ["00000000000000000004.log", "00000000000000000006.log", "00000000000000000008.log"])
        #expect(try readAll(log).map(\.offset) == [5, 6, 7, 8, 9])
        #expect(throws: StorageError.self) { try log.read(from: 4, maxBytes: 100, minOneBatch: true) }
        let checkpoint = try #require(folder.fileSystem.contents(ofFileAtPath: "/data/log-start-offset-checkpoint"))
        #expect(String(decoding: checkpoint, as: UTF8.self) == "0\n1\norders 0 5\n")
    }

    @Test func theStartNeverMovesBackAndNeverPassesTheHighWatermark() throws {
        let (_, manager, log) = try fiveSegments()
        #expect(try manager.deleteRecords(of: log, before: 6) == 6)
        #expect(try manager.deleteRecords(of: log, before: 2) == 6, "an offset below the start answers the start")
        let beyond = #expect(throws: StorageError.self) { try manager.deleteRecords(of: log, before: 11) }
        #expect(beyond?.code == .offsetOutOfRange)
        #expect(throws: StorageError.self) { try manager.deleteRecords(of: log, before: -5) }
        #expect(try manager.deleteRecords(of: log, before: 10) == 10)
        #expect(log.segmentCount == 1, "the active segment stays, even when it holds nothing readable")
        #expect(try log.read(from: 10, maxBytes: 100, minOneBatch: true).records.readableBytes == 0)
    }

    @Test func timestampLookupsAnswerNothingBelowTheStart() throws {
        let (_, manager, log) = try fiveSegments()
        _ = try manager.deleteRecords(of: log, before: 5)
        #expect(try log.offsetForTimestamp(0)?.offset == 5)
        #expect(try log.offsetForTimestamp(2000)?.offset == 5)
        #expect(try log.offsetForTimestamp(3000)?.offset == 6)
        #expect(try log.offsetForTimestamp(5000) == nil)
    }

    @Test func theStartSurvivesACleanRestart() throws {
        let (folder, manager, log) = try fiveSegments()
        _ = try manager.deleteRecords(of: log, before: 3)
        try manager.shutdown()
        let reopened = try #require(try folder.open(LogConfiguration(segmentBytes: 150)).log(for: testPartition))
        #expect(reopened.logStartOffset == 3)
        #expect(try readAll(reopened).first?.offset == 3)
    }

    @Test func theStartSurvivesACrashAndTheSegmentsACrashKeptAreDeletedAtLoad() throws {
        let (folder, manager, log) = try fiveSegments()
        _ = try manager.deleteRecords(of: log, before: 7)
        // A crash after the checkpoint but before the segments were deleted leaves them behind:
        // put the first one back.
        try manager.shutdown()
        try folder.fileSystem.removeFile(atPath: "/data/.kafka_cleanshutdown")
        let restoredSegment = try folder.fileSystem.openFile(atPath: folder.segmentPath(testPartition, baseOffset: 0), creating: true)
        try restoredSegment.write(makeBatch(count: 2, timestamp: 0), at: 0)

        let reopened = try #require(try folder.open(LogConfiguration(segmentBytes: 150)).log(for: testPartition))
        #expect(reopened.logStartOffset == 7)
        #expect(try segmentFiles(folder) == ["00000000000000000006.log", "00000000000000000008.log"])
        #expect(try readAll(reopened).map(\.offset) == [7, 8, 9])
    }

    @Test func aDeletedTopicsStartIsNotInheritedByTheNextOneOfThatName() throws {
        let (folder, manager, log) = try fiveSegments()
        _ = try manager.deleteRecords(of: log, before: 4)
        try manager.deleteLogs(topic: testPartition.topic)
        let recreated = try manager.createLog(testPartition, topicId: nil)
        _ = try recreated.append(makeBatch(count: 6), appendTimeMs: 0)
        try manager.shutdown()
        let reopened = try #require(try folder.open().log(for: testPartition))
        #expect(reopened.logStartOffset == 0)
    }

    @Test func retentionDeletesSegmentsBelowTheStartWhateverThePolicy() throws {
        let (folder, _, log) = try fiveSegments()
        _ = try log.advanceLogStartOffset(to: 4)
        log.updateConfiguration(LogConfiguration(segmentBytes: 150, retentionMs: -1, cleanupPolicy: .compact))
        #expect(try log.applyRetention(nowMs: 0) == 2)
        #expect(try segmentFiles(folder).first == "00000000000000000004.log")
    }
}
