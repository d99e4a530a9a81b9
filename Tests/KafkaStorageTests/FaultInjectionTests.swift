import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Write faults", .tags(.component))
struct FaultInjectionTests {
    @Test(arguments: [
        InMemoryFileSystem.WriteFailure.shortWrite(bytesWritten: 30), .noSpace, .ioError,
    ])
    func aFailedAppendIsNotAcknowledgedAndLeavesEarlierDataReadable(failure: InMemoryFileSystem.WriteFailure) throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        for _ in 0..<3 { _ = try log.append(makeBatch(count: 2), appendTimeMs: 0) }
        let logPath = folder.segmentPath(testPartition, baseOffset: 0)
        let sizeBefore = folder.size(ofFileAt: logPath)

        folder.fileSystem.failWrite(toFilesEndingWith: ".log", with: failure)
        #expect(throws: StorageError.self) { try log.append(makeBatch(count: 2), appendTimeMs: 0) }
        #expect(log.logEndOffset == 6)
        #expect(folder.size(ofFileAt: logPath) == sizeBefore)
        #expect(try readAll(log).map(\.offset) == Array(0..<6))

        // The device recovered: appends go on at the right offset.
        #expect(try log.append(makeBatch(count: 2), appendTimeMs: 0).firstOffset == 6)
        #expect(try readAll(log).map(\.offset) == Array(0..<8))
    }

    @Test func theNthWriteFails() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        folder.fileSystem.failWrite(number: 3, toFilesEndingWith: ".log", with: .noSpace)
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
        do {
            _ = try log.append(makeBatch(count: 1), appendTimeMs: 0)
            Issue.record("the third write should have failed")
        } catch {
            #expect(error.code == .noSpace)
        }
        #expect(try log.append(makeBatch(count: 1), appendTimeMs: 0).firstOffset == 2)
    }

    @Test func invalidInputIsRejectedWithoutWriting() throws {
        let folder = TestDataFolder()
        let log = try folder.open().createLog(testPartition, topicId: nil)
        var cut = makeBatch(count: 2)
        cut.moveWriterIndex(to: cut.writerIndex - 1)
        for input in [cut, ByteBuffer()] {
            do {
                _ = try log.append(input, appendTimeMs: 0)
                Issue.record("appending \(input.readableBytes) invalid bytes should fail")
            } catch {
                #expect(error.code == .invalidRecordBatch)
            }
        }
        #expect(folder.fileSystem.writeCount == 0)
        let tooLarge = try folder.open(LogConfiguration(segmentBytes: 100)).createLog(
            TopicPartition(topic: "small", partition: 0), topicId: nil)
        #expect(throws: StorageError.self) { try tooLarge.append(makeBatch(count: 1, valueSize: 200), appendTimeMs: 0) }
    }
}
