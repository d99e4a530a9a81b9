import Foundation
import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

/// `PosixFileSystem` with fewer descriptors than open files: handles keep working after their
/// descriptor was closed for being idle, across renames, removals, retention and concurrent reads.
@Suite("Descriptor cache", .tags(.component))
struct DescriptorCacheTests {
    func withTemporaryFolder(_ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-descriptors-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(path)
    }

    func contents(of file: any LogFile) throws -> String {
        var buffer = ByteBuffer()
        _ = try file.read(into: &buffer, count: Int(try file.size()), at: 0)
        return String(buffer: buffer)
    }

    @Test func moreFilesThanDescriptorsAreReopenedWhenUsed() async throws {
        try await withTemporaryFolder { root in
            let fileSystem = PosixFileSystem(maximumOpenFiles: 4)
            let files = try (0..<40).map { try fileSystem.openFile(atPath: "\(root)/file-\($0)", creating: true) }
            for (index, file) in files.enumerated() { try file.write(ByteBuffer(string: "file \(index)"), at: 0) }
            #expect(fileSystem.descriptorUse.open == 4)
            for (index, file) in files.enumerated() {
                #expect(try contents(of: file) == "file \(index)")
                try file.sync()
            }
            #expect(fileSystem.descriptorUse.open == 4)
            #expect(fileSystem.descriptorUse.reopened >= 36)
        }
    }

    @Test func aClosedHandleFollowsARenameAndOutlivesARemoval() async throws {
        try await withTemporaryFolder { root in
            let fileSystem = PosixFileSystem(maximumOpenFiles: 2)
            let moved = try fileSystem.openFile(atPath: "\(root)/a", creating: true)
            try moved.write(ByteBuffer(string: "first"), at: 0)
            let replaced = try fileSystem.openFile(atPath: "\(root)/b", creating: true)
            try replaced.write(ByteBuffer(string: "second"), at: 0)
            let others = try (0..<4).map { try fileSystem.openFile(atPath: "\(root)/other-\($0)", creating: true) }
            for other in others { _ = try other.size() }

            // `a` replaces `b`: the handle of `b` still reads the file it opened.
            try fileSystem.rename(atPath: "\(root)/a", toPath: "\(root)/b")
            #expect(moved.path == "\(root)/b")
            for other in others { _ = try other.size() }
            #expect(try contents(of: moved) == "first")
            #expect(try contents(of: replaced) == "second")

            try fileSystem.removeFile(atPath: "\(root)/b")
            for other in others { _ = try other.size() }
            #expect(try contents(of: moved) == "first")
            #expect(!fileSystem.fileExists(atPath: "\(root)/b"))
            // A new file at the removed path is a different file to the old handles.
            let recreated = try fileSystem.openFile(atPath: "\(root)/b", creating: true)
            try recreated.write(ByteBuffer(string: "third"), at: 0)
            for other in others { _ = try other.size() }
            #expect(try contents(of: moved) == "first")
            #expect(try contents(of: recreated) == "third")
        }
    }

    @Test func partitionsOutnumberingDescriptorsServeAppendsAndReadsAfterARestart() async throws {
        try await withTemporaryFolder { root in
            let configuration = LogConfiguration(segmentBytes: 4096, indexIntervalBytes: 256)
            let partitions = (0..<200).map { TopicPartition(topic: "many", partition: Int32($0)) }
            let fileSystem = PosixFileSystem(maximumOpenFiles: 16)
            let manager = try LogManager(
                directory: root, fileSystem: fileSystem, logger: TestDataFolder().logger, defaultConfiguration: configuration)
            for partition in partitions {
                let log = try manager.createLog(partition, topicId: "id")
                for _ in 0..<3 { _ = try log.append(makeBatch(count: 2, valueSize: 40), appendTimeMs: 0) }
            }
            for partition in partitions { try #require(manager.log(for: partition)).flush() }
            try manager.shutdown()
            #expect(fileSystem.descriptorUse.open <= 16)

            let reopenedFileSystem = PosixFileSystem(maximumOpenFiles: 16)
            let reopened = try LogManager(
                directory: root, fileSystem: reopenedFileSystem, logger: TestDataFolder().logger, defaultConfiguration: configuration)
            for partition in partitions {
                let log = try #require(reopened.log(for: partition))
                #expect(try readAll(log).map(\.offset) == Array(0..<6))
            }
            #expect(reopenedFileSystem.descriptorUse.open <= 16)
            try reopened.shutdown()
        }
    }

    /// Readers race retention over one log of many small segments and few descriptors: every read
    /// returns whole batches or OFFSET_OUT_OF_RANGE for a segment retention took, never an I/O error.
    @Test func readsRacingRetentionSeeWholeBatchesOrOffsetOutOfRange() async throws {
        try await withTemporaryFolder { root in
            let configuration = LogConfiguration(segmentBytes: 1024, retentionBytes: 8 * 1024, indexIntervalBytes: 128)
            let fileSystem = PosixFileSystem(maximumOpenFiles: 6)
            let manager = try LogManager(
                directory: root, fileSystem: fileSystem, logger: TestDataFolder().logger, defaultConfiguration: configuration)
            let log = try manager.createLog(testPartition, topicId: "id")
            for _ in 0..<200 { _ = try log.append(makeBatch(count: 2, valueSize: 60), appendTimeMs: 0) }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in 0..<4 {
                    group.addTask {
                        var random = SystemRandomNumberGenerator()
                        for _ in 0..<300 {
                            let offset = Int64.random(in: 0..<log.logEndOffset, using: &random)
                            do {
                                let read = try log.read(from: offset, maxBytes: 512, minOneBatch: true)
                                let found = try batches(in: read.records)
                                #expect(
                                    found.first.map { $0.header.baseOffset <= offset && offset <= $0.header.lastOffset } ?? false,
                                    "reader \(reader) at \(offset)")
                            } catch let error as StorageError where error.code == .offsetOutOfRange {
                                #expect(offset < log.logStartOffset)
                            }
                        }
                    }
                }
                group.addTask {
                    for _ in 0..<100 {
                        _ = try log.append(makeBatch(count: 2, valueSize: 60), appendTimeMs: 0)
                        _ = try log.applyRetention(nowMs: 0)
                        await Task.yield()
                    }
                }
                try await group.waitForAll()
            }
            #expect(log.logStartOffset > 0)
            #expect(try readAll(log).map(\.offset) == Array(log.logStartOffset..<log.logEndOffset))
            #expect(fileSystem.descriptorUse.reopened > 0)
            try manager.shutdown()
        }
    }
}
