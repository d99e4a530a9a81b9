import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Transactions in the log: markers, last stable offset, aborted index", .tags(.component))
struct TransactionLogTests {
    func transactional(_ values: [String], producerId: Int64, sequence: Int32 = 0) -> ByteBuffer {
        makeBatch(
            values.map { TestRecord(key: nil, value: $0) }, producerId: producerId, producerEpoch: 0,
            baseSequence: sequence, isTransactional: true)
    }

    func end(_ log: PartitionLog, _ type: ControlRecordType, producerId: Int64) throws {
        try log.appendMarker(
            ControlRecord(type: type, coordinatorEpoch: 0), producerId: producerId, producerEpoch: 0, timestampMs: 0)
    }

    func transactionIndex(_ folder: TestDataFolder, baseOffset: Int64 = 0) -> [UInt8]? {
        folder.fileSystem.contents(ofFileAtPath: folder.segmentPath(testPartition, baseOffset: baseOffset, suffix: ".txnindex"))
    }

    /// Offsets 0-1 plain, 2-3 producer 7 (aborted at 6), 4-5 producer 8 (committed at 7), 8 plain.
    func logWithAnAbortedAndACommittedTransaction(_ folder: TestDataFolder, manager: LogManager? = nil) throws -> PartitionLog {
        let log = try (manager ?? folder.open()).createLog(testPartition, topicId: nil)
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)
        _ = try log.append(transactional(["a1", "a2"], producerId: 7), appendTimeMs: 0)
        _ = try log.append(transactional(["c1", "c2"], producerId: 8), appendTimeMs: 0)
        try end(log, .abort, producerId: 7)
        try end(log, .commit, producerId: 8)
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        return log
    }

    @Test func anOpenTransactionHoldsTheLastStableOffsetUntilItsMarker() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)
        _ = try log.append(transactional(["t1"], producerId: 7), appendTimeMs: 0)
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)
        #expect((log.lastStableOffset, log.highWatermark) == (2, 5))

        let committed = try log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: .readCommitted)
        #expect(try records(in: committed.records).map(\.offset) == [0, 1])
        #expect(committed.lastStableOffset == 2 && committed.abortedTransactions == [])
        let atTheLSO = try log.read(from: 2, maxBytes: 1 << 20, minOneBatch: true, isolation: .readCommitted)
        #expect(atTheLSO.records.readableBytes == 0)
        let uncommitted = try log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true)
        #expect(try records(in: uncommitted.records).count == 5 && uncommitted.abortedTransactions == nil)

        try end(log, .commit, producerId: 7)
        #expect((log.lastStableOffset, log.highWatermark) == (6, 6))
        #expect(transactionIndex(folder) == nil)
    }

    @Test func anAbortIsIndexedAndListedToReadCommittedFetches() throws {
        let folder = TestDataFolder()
        let log = try logWithAnAbortedAndACommittedTransaction(folder)
        #expect(log.lastStableOffset == 9)
        let read = try log.read(from: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: .readCommitted)
        let expected = AbortedTransaction(producerId: 7, firstOffset: 2, lastOffset: 6, lastStableOffset: 4)
        #expect(read.abortedTransactions == [expected])
        #expect(try batches(in: read.records).filter(\.header.attributes.isControl).count == 2)
        #expect(transactionIndex(folder)?.count == 34)

        let later = try log.read(from: 7, maxBytes: 1 << 20, minOneBatch: true, isolation: .readCommitted)
        #expect(later.abortedTransactions == [])
    }

    @Test func aClientsControlBatchIsRefused() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        let marker = try ControlRecord(type: .commit, coordinatorEpoch: 0).batch(producerId: 1, producerEpoch: 0, timestamp: 0)
        #expect(throws: StorageError.self) { try log.append(marker, appendTimeMs: 0) }
        #expect(log.logEndOffset == 0)
    }

    @Test func aReloadRebuildsTheOpenTransactionsAndAMissingTransactionIndex() throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let log = try manager.createLog(testPartition, topicId: nil)
        _ = try log.append(transactional(["a"], producerId: 7), appendTimeMs: 0)
        try end(log, .abort, producerId: 7)
        _ = try log.append(transactional(["open"], producerId: 9), appendTimeMs: 0)
        let indexBytes = try #require(transactionIndex(folder))
        try manager.shutdown()
        try folder.fileSystem.removeFile(
            atPath: folder.segmentPath(testPartition, baseOffset: 0, suffix: ".txnindex"))

        let reopened = try #require(try folder.open().log(for: testPartition))
        #expect(reopened.lastStableOffset == 2)
        #expect(transactionIndex(folder) == indexBytes)
        #expect(folder.messages.all.contains { $0.contains("Rebuilt the missing aborted-transaction index of segment 0") })
        let read = try reopened.read(from: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: .readCommitted)
        #expect(read.abortedTransactions?.map(\.producerId) == [7])
    }

    @Test func aTornMarkerLeavesItsTransactionOpenAfterRecovery() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        _ = try log.append(transactional(["a", "b"], producerId: 7), appendTimeMs: 0)
        try end(log, .commit, producerId: 7)
        #expect(log.lastStableOffset == 3)
        // The crash cut the marker short: no clean shutdown, the last bytes missing.
        let logPath = folder.segmentPath(testPartition, baseOffset: 0)
        let file = try folder.fileSystem.openFile(atPath: logPath, creating: false)
        try file.truncate(to: Int64(folder.size(ofFileAt: logPath) - 5))

        let reopened = try #require(try folder.open().log(for: testPartition))
        #expect((reopened.logEndOffset, reopened.lastStableOffset) == (2, 0))
        // The coordinator writes the marker again, which completes the transaction.
        try end(reopened, .commit, producerId: 7)
        #expect(reopened.lastStableOffset == 3)
    }

    @Test func aCrashBetweenTheMarkersOfTwoPartitionsLeavesOnlyTheUnmarkedOneHeld() throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let second = TopicPartition(topic: "orders", partition: 1)
        let logs = [try manager.createLog(testPartition, topicId: nil), try manager.createLog(second, topicId: nil)]
        for log in logs { _ = try log.append(transactional(["x"], producerId: 7), appendTimeMs: 0) }
        try end(logs[0], .abort, producerId: 7)
        try manager.shutdown()

        let reopened = try folder.open()
        let first = try #require(reopened.log(for: testPartition))
        let other = try #require(reopened.log(for: second))
        #expect((first.lastStableOffset, other.lastStableOffset) == (2, 0))
        try end(other, .abort, producerId: 7)
        #expect(other.lastStableOffset == 2)
    }

    @Test func aStaleTransactionIndexIsRewrittenFromTheMarkers() throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        _ = try logWithAnAbortedAndACommittedTransaction(folder, manager: manager)
        let indexBytes = try #require(transactionIndex(folder))
        try manager.shutdown()
        let indexPath = folder.segmentPath(testPartition, baseOffset: 0, suffix: ".txnindex")
        try folder.write(Array(repeating: 0xFF, count: 40), toFileAt: indexPath, at: 0)

        _ = try folder.open()
        #expect(transactionIndex(folder) == indexBytes)
        #expect(folder.messages.all.contains { $0.contains("Rebuilt the stale aborted-transaction index") })
    }

    @Test func compactionKeepsEveryMarker() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 200, cleanupPolicy: .compact)).createLog(
            testPartition, topicId: nil)
        // Without sequences, so that compaction keeps no emptied batch for idempotence.
        for producerId in Int64(1)...3 {
            _ = try log.append(
                makeBatch([TestRecord(key: "k", value: "v\(producerId)")], producerId: producerId, isTransactional: true),
                appendTimeMs: 0)
            try end(log, .commit, producerId: producerId)
        }
        for _ in 0..<5 { _ = try log.append(makeBatch(count: 1), appendTimeMs: 0) }
        #expect(log.segmentCount > 2)
        #expect(try log.compact(nowMs: 10_000) > 0)
        let batches = try readAllBatches(log)
        #expect(batches.filter(\.header.attributes.isControl).count == 3)
        let keyed = try batches.filter { !$0.header.attributes.isControl }.flatMap { try $0.decodedRecords() }.filter { $0.key != nil }
        #expect(keyed.map(\.valueString) == ["v3"])
    }

    func readAllBatches(_ log: PartitionLog) throws -> [RecordBatch] {
        var result: [RecordBatch] = []
        var offset = log.logStartOffset
        while offset < log.logEndOffset {
            let found = try batches(in: log.read(from: offset, maxBytes: 1 << 20, minOneBatch: true).records)
            guard let last = found.last else { break }
            result += found
            offset = last.header.nextOffset
        }
        return result
    }
}
