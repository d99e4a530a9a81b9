import KafkaRecords
import SamsaTestSupport
import Testing

@testable import KafkaStorage

@Suite("Group commit", .tags(.component))
struct LogFlusherTests {
    @Test func manyWaitersShareOneFsync() async throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let log = try manager.createLog(testPartition, topicId: nil)
        let flusher = LogFlusher(logManager: manager, logger: folder.logger)
        defer { flusher.shutdown() }
        for _ in 0..<100 { _ = try log.append(makeBatch(count: 1), appendTimeMs: 0) }
        let syncsBefore = folder.fileSystem.syncCount(ofFilesEndingWith: ".log")

        try await withThrowingTaskGroup(of: Void.self) { group in
            for offset in 0..<Int64(100) {
                group.addTask { try await flusher.waitForFlush(of: log, upTo: offset) }
            }
            try await group.waitForAll()
        }
        #expect(folder.fileSystem.syncCount(ofFilesEndingWith: ".log") - syncsBefore == 1)
        #expect(log.flushedOffset == 100)
    }

    @Test func concurrentProducersWithAcksAllNeedFewerFsyncsThanRequests() async throws {
        let folder = TestDataFolder()
        folder.fileSystem.setSyncLatency(.milliseconds(5))
        let manager = try folder.open()
        let logs = try (0..<4).map { try manager.createLog(TopicPartition(topic: "t", partition: $0), topicId: nil) }
        let flusher = LogFlusher(logManager: manager, logger: folder.logger)
        defer { flusher.shutdown() }
        let syncsBefore = folder.fileSystem.syncCount(ofFilesEndingWith: ".log")

        let requests = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for request in 0..<requests {
                group.addTask {
                    let log = logs[request % logs.count]
                    let appended = try log.append(makeBatch(count: 1), appendTimeMs: 0)
                    try await flusher.waitForFlush(of: log, upTo: appended.lastOffset)
                    #expect(log.flushedOffset > appended.lastOffset)
                }
            }
            try await group.waitForAll()
        }
        let syncs = folder.fileSystem.syncCount(ofFilesEndingWith: ".log") - syncsBefore
        #expect(syncs < requests)
        #expect(logs.allSatisfy { $0.flushedOffset == $0.logEndOffset })
    }

    @Test func aFailedFsyncFailsItsWaitersAndTheLogStaysFailed() async throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let log = try manager.createLog(testPartition, topicId: nil)
        let flusher = LogFlusher(logManager: manager, logger: folder.logger)
        defer { flusher.shutdown() }
        let appended = try log.append(makeBatch(count: 3), appendTimeMs: 0)
        folder.fileSystem.failSync(ofFilesEndingWith: ".log")

        await #expect(throws: StorageError.self) { try await flusher.waitForFlush(of: log, upTo: appended.lastOffset) }
        #expect(log.flushedOffset == 0)
        // No retry that could acknowledge data the failed fsync may have dropped.
        await #expect(throws: StorageError.self) { try await flusher.waitForFlush(of: log, upTo: appended.lastOffset) }
        #expect(throws: StorageError.self) { try log.append(makeBatch(count: 1), appendTimeMs: 0) }
        do {
            try log.flush()
        } catch {
            #expect(error.code == .logFailed)
        }
        // What was written stays readable.
        #expect(try readAll(log).count == 3)
        // A shutdown now is not clean: the next start-up re-validates the log.
        #expect(throws: StorageError.self) { try manager.shutdown() }
        #expect(!folder.fileSystem.fileExists(atPath: "/data/.kafka_cleanshutdown"))
    }

    @Test func flushMessagesTriggersAPeriodicFlush() async throws {
        let folder = TestDataFolder()
        let manager = try folder.open(LogConfiguration(flushIntervalMessages: 5))
        let log = try manager.createLog(testPartition, topicId: nil)
        let flusher = LogFlusher(logManager: manager, logger: folder.logger, checkInterval: .milliseconds(5))
        defer { flusher.shutdown() }
        _ = try log.append(makeBatch(count: 4), appendTimeMs: 0)
        // Two whole policy checks after the append: the first may have begun before it.
        let checksBefore = flusher.policyCheckCount
        #expect(try await waitUntil { flusher.policyCheckCount >= checksBefore + 2 }, "the policy is checked every 5 ms")
        #expect(log.flushedOffset == 0, "4 messages are below flush.messages")
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        #expect(try await waitUntil { log.flushedOffset == 5 })
    }

    @Test func dataAcknowledgedAfterAFlushSurvivesAPowerCut() async throws {
        let folder = TestDataFolder()
        let manager = try folder.open()
        let log = try manager.createLog(testPartition, topicId: nil)
        let flusher = LogFlusher(logManager: manager, logger: folder.logger)
        let acknowledged = try log.append(makeBatch(count: 3), appendTimeMs: 0)
        try await flusher.waitForFlush(of: log, upTo: acknowledged.lastOffset)
        _ = try log.append(makeBatch(count: 2), appendTimeMs: 0)  // acks=1: written, not fsync'd
        flusher.shutdown()

        folder.fileSystem.simulatePowerLoss()
        let recovered = try #require(try folder.open().log(for: testPartition))
        #expect(try readAll(recovered).map(\.offset) == [0, 1, 2])
        #expect(try recovered.append(makeBatch(count: 1), appendTimeMs: 0).firstOffset == 3)
    }
}
