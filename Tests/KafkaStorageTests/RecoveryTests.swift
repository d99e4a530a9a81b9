import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Restart and recovery", .tags(.component))
struct RecoveryTests {
    /// A log of five 2-record batches (offsets 0...9) left behind by a broker that crashed:
    /// the data reached the files but no clean-shutdown marker was written.
    func crashedLog() throws -> (folder: TestDataFolder, logPath: String, batchSize: Int) {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        for _ in 0..<5 { _ = try log.append(makeBatch(count: 2), appendTimeMs: 0) }
        let logPath = folder.segmentPath(testPartition, baseOffset: 0)
        return (folder, logPath, folder.size(ofFileAt: logPath) / 5)
    }

    @Test func aCleanShutdownKeepsEverythingWithoutRecovery() throws {
        let folder = TestDataFolder()
        let manager = try folder.open(LogConfiguration(segmentBytes: 500))
        let log = try manager.createLog(testPartition, topicId: "AAAAAAAAAAAAAAAAAAAAAQ")
        for _ in 0..<20 { _ = try log.append(makeBatch(count: 2), appendTimeMs: 0) }
        let segments = log.segmentCount
        try manager.shutdown()
        #expect(folder.fileSystem.fileExists(atPath: "/data/.kafka_cleanshutdown"))

        let reopened = try folder.open(LogConfiguration(segmentBytes: 500))
        #expect(reopened.hadCleanShutdown)
        #expect(!folder.fileSystem.fileExists(atPath: "/data/.kafka_cleanshutdown"))
        let log2 = try #require(reopened.log(for: testPartition))
        #expect(log2.logEndOffset == 40 && log2.segmentCount == segments && log2.flushedOffset == 40)
        #expect(reopened.topicId(for: testPartition) == "AAAAAAAAAAAAAAAAAAAAAQ")
        #expect(try readAll(log2).map(\.offset) == Array(0..<40))
        #expect(!folder.messages.all.contains { $0.contains("Recovering") })
    }

    @Test func garbageAfterTheLastBatchIsTruncated() throws {
        let (folder, logPath, batchSize) = try crashedLog()
        try folder.write(Array(repeating: 0xAB, count: 100), toFileAt: logPath, at: Int64(5 * batchSize))
        try expectRecovered(folder, logPath: logPath, toBatches: 5, batchSize: batchSize)
    }

    @Test func aBatchCutInTheMiddleIsTruncated() throws {
        let (folder, logPath, batchSize) = try crashedLog()
        let file = try folder.fileSystem.openFile(atPath: logPath, creating: false)
        try file.truncate(to: Int64(4 * batchSize + batchSize / 2))
        try expectRecovered(folder, logPath: logPath, toBatches: 4, batchSize: batchSize)
    }

    @Test func aCorruptChecksumInTheLastBatchTruncatesIt() throws {
        let (folder, logPath, batchSize) = try crashedLog()
        // Flip a byte of the last batch's records, which its CRC-32C covers.
        let position = 4 * batchSize + RecordBatchHeader.size + 2
        let byte = folder.fileSystem.contents(ofFileAtPath: logPath)![position]
        try folder.write([byte ^ 0xFF], toFileAt: logPath, at: Int64(position))
        try expectRecovered(folder, logPath: logPath, toBatches: 4, batchSize: batchSize)
        #expect(folder.messages.all.contains { $0.contains("CRC") })
    }

    /// Found by the segment-recovery fuzz target: a batch whose offsets lie beyond the 32-bit
    /// range relative to its segment's base offset (or at the very end of Int64) was recovered,
    /// and the next roll trapped converting its offset for the time index.
    @Test(arguments: [Int64(1) << 40, Int64.max - 1, Int64.max])
    func aBatchBeyondItsSegmentsOffsetRangeIsTruncated(baseOffset: Int64) throws {
        let (folder, logPath, batchSize) = try crashedLog()
        var stray = try RecordBatch(makeBatch(count: 2))
        stray.setBaseOffset(baseOffset)
        try folder.write(Array(stray.bytes.readableBytesView), toFileAt: logPath, at: Int64(5 * batchSize))
        try expectRecovered(folder, logPath: logPath, toBatches: 5, batchSize: batchSize)
    }

    @Test func segmentsAfterACorruptOneAreDeleted() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 300)).createLog(testPartition, topicId: nil)
        for _ in 0..<10 { _ = try log.append(makeBatch(count: 2), appendTimeMs: 0) }
        let segmentsBefore = log.segmentCount
        #expect(segmentsBefore >= 3)
        // Corrupt the first batch of the second segment.
        let secondBase = try batches(in: log.read(from: 0, maxBytes: 300, minOneBatch: true).records).last!.header.nextOffset
        let secondPath = folder.segmentPath(testPartition, baseOffset: secondBase)
        try folder.write([0xFF, 0xFF, 0xFF, 0xFF], toFileAt: secondPath, at: 8)

        let recovered = try #require(try folder.open(LogConfiguration(segmentBytes: 300)).log(for: testPartition))
        #expect(recovered.logEndOffset == secondBase)
        #expect(recovered.segmentCount == 2)
        #expect(try readAll(recovered).map(\.offset) == Array(0..<secondBase))
        #expect(folder.messages.all.contains { $0.contains("follows the truncated one") })
    }

    @Test func onlySegmentsPastTheRecoveryPointAreRevalidated() throws {
        let folder = TestDataFolder()
        let manager = try folder.open(LogConfiguration(segmentBytes: 300))
        let log = try manager.createLog(testPartition, topicId: nil)
        for _ in 0..<10 { _ = try log.append(makeBatch(count: 2), appendTimeMs: 0) }
        try log.flush()
        try manager.checkpointRecoveryPoints()
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)
        // Crash: no shutdown. Only the active segment holds offsets at or above the checkpoint.
        _ = try folder.open(LogConfiguration(segmentBytes: 300))
        let recovering = folder.messages.all.filter { $0.contains("Recovering unflushed segment") }
        #expect(recovering.count == 1)
    }

    @Test func aMissingOrCorruptIndexIsRebuiltFromTheLog() throws {
        let folder = TestDataFolder()
        let configuration = LogConfiguration(indexIntervalBytes: 100)
        let manager = try folder.open(configuration)
        let log = try manager.createLog(testPartition, topicId: nil)
        for _ in 0..<30 { _ = try log.append(makeBatch(count: 2, valueSize: 40), appendTimeMs: 0) }
        try manager.shutdown()
        let indexPath = folder.segmentPath(testPartition, baseOffset: 0, suffix: ".index")
        let timeIndexPath = folder.segmentPath(testPartition, baseOffset: 0, suffix: ".timeindex")
        let goodIndex = try #require(folder.fileSystem.contents(ofFileAtPath: indexPath))
        #expect(goodIndex.count > 16)

        try folder.fileSystem.removeFile(atPath: indexPath)
        try folder.write([1, 2, 3], toFileAt: timeIndexPath, at: 0)
        let reopened = try #require(try folder.open(configuration).log(for: testPartition))
        #expect(folder.fileSystem.contents(ofFileAtPath: indexPath) == goodIndex)
        #expect(folder.size(ofFileAt: timeIndexPath) % 12 == 0)
        #expect(folder.messages.all.contains { $0.contains("Rebuilt the missing or corrupt index files") })
        for offset: Int64 in [0, 31, 59] {
            let first = try batches(in: reopened.read(from: offset, maxBytes: 1, minOneBatch: true).records).first
            #expect(first?.header.baseOffset == offset / 2 * 2)
        }
    }

    /// Reopens the crashed folder and checks the log was cut to `toBatches` whole batches, the
    /// truncation was logged, and appends continue at the right offset.
    private func expectRecovered(_ folder: TestDataFolder, logPath: String, toBatches count: Int, batchSize: Int) throws {
        let manager = try folder.open()
        #expect(!manager.hadCleanShutdown)
        let log = try #require(manager.log(for: testPartition))
        #expect(log.logEndOffset == Int64(2 * count))
        #expect(folder.size(ofFileAt: logPath) == count * batchSize)
        #expect(try readAll(log).map(\.offset) == Array(0..<Int64(2 * count)))
        #expect(folder.messages.all.contains { $0.contains("Found invalid batch in segment 0") && $0.contains("truncating") })

        let next = try log.append(makeBatch(count: 3), appendTimeMs: 0)
        #expect(next.firstOffset == Int64(2 * count))
        #expect(try readAll(log).map(\.offset) == Array(0..<Int64(2 * count + 3)))
    }
}
