import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Idempotent producers", .tags(.component))
struct IdempotenceTests {
    func batch(sequence: Int32, count: Int = 2, epoch: Int16 = 0, producerId: Int64 = 42) -> ByteBuffer {
        makeBatch(
            (0..<count).map { TestRecord(key: "k", value: "s\(sequence)+\($0)") }, producerId: producerId,
            producerEpoch: epoch, baseSequence: sequence)
    }

    func storageErrorCode(_ body: () throws -> Void) -> StorageError.Code? {
        do {
            try body()
            return nil
        } catch let error as StorageError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func anExactRetryOfOneOfTheLastFiveBatchesIsNotWrittenAgain() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        for sequence in stride(from: Int32(0), to: 12, by: 2) { _ = try log.append(batch(sequence: sequence), appendTimeMs: 0) }
        #expect(log.logEndOffset == 13)

        let retry = try log.append(batch(sequence: 4), appendTimeMs: 0)
        #expect(retry.isDuplicate)
        #expect((retry.firstOffset, retry.lastOffset) == (5, 6))
        #expect(log.logEndOffset == 13)
        // The oldest of six batches is no longer remembered: its retry is out of sequence.
        #expect(storageErrorCode { _ = try log.append(batch(sequence: 0), appendTimeMs: 0) } == .outOfOrderSequence)
    }

    @Test func aSequenceGapAndAnOlderEpochAreRejected() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        _ = try log.append(batch(sequence: 0, epoch: 1), appendTimeMs: 0)
        #expect(storageErrorCode { _ = try log.append(batch(sequence: 5, epoch: 1), appendTimeMs: 0) } == .outOfOrderSequence)
        #expect(storageErrorCode { _ = try log.append(batch(sequence: 2, epoch: 0), appendTimeMs: 0) } == .invalidProducerEpoch)
        // A new epoch starts again at sequence 0, and only there.
        #expect(storageErrorCode { _ = try log.append(batch(sequence: 2, epoch: 2), appendTimeMs: 0) } == .outOfOrderSequence)
        #expect(try log.append(batch(sequence: 0, epoch: 2), appendTimeMs: 0).firstOffset == 2)
        #expect(log.logEndOffset == 4)
        // Producers are independent, and a new one may start at any sequence.
        #expect(try log.append(batch(sequence: 7, producerId: 43), appendTimeMs: 0).firstOffset == 4)
    }

    @Test func duplicatesAreRecognisedAfterARestart() throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let log = try manager.createLog(testPartition, topicId: nil)
        _ = try log.append(batch(sequence: 0), appendTimeMs: 0)
        _ = try log.append(batch(sequence: 2), appendTimeMs: 0)
        // A crash (no shutdown): the state comes back from the batch headers during recovery.
        let reopened = try #require(try folder.open().log(for: testPartition))
        let retry = try reopened.append(batch(sequence: 2), appendTimeMs: 0)
        #expect(retry.isDuplicate && retry.firstOffset == 2)
        #expect(storageErrorCode { _ = try reopened.append(batch(sequence: 9), appendTimeMs: 0) } == .outOfOrderSequence)
        #expect(try reopened.append(batch(sequence: 4), appendTimeMs: 0).firstOffset == 4)
    }

    @Test func aRetryIsStillRecognisedAfterCompactionEmptiedItsBatch() throws {
        let folder = TestDataFolder()
        let log = try folder.open(LogConfiguration(segmentBytes: 100, cleanupPolicy: .compact)).createLog(testPartition, topicId: nil)
        _ = try log.append(batch(sequence: 0, count: 1), appendTimeMs: 0)
        _ = try log.append(makeBatch([TestRecord(key: "k", value: "newer")]), appendTimeMs: 0)
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        try log.compact(nowMs: 1_000_000)
        #expect(try readAll(log).map(\.valueString) == ["newer", "v0"])
        let reopened = try #require(try folder.open().log(for: testPartition))
        #expect(try reopened.append(batch(sequence: 0, count: 1), appendTimeMs: 0).isDuplicate)
    }
}
