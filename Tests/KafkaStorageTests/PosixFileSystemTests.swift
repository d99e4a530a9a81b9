import Foundation
import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Real file system", .tags(.component))
struct PosixFileSystemTests {
    /// A fresh folder under the temporary directory, removed after `body`.
    func withTemporaryFolder(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-storage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    @Test func fileOperations() throws {
        try withTemporaryFolder { root in
            let fileSystem = PosixFileSystem()
            try fileSystem.createDirectory(atPath: root + "/a/b")
            #expect(fileSystem.isDirectory(atPath: root + "/a/b"))
            let file = try fileSystem.openFile(atPath: root + "/a/b/f", creating: true)
            try file.write(ByteBuffer(string: "hello world"), at: 0)
            try file.write(ByteBuffer(string: "W"), at: 6)
            try file.sync()
            #expect(try file.size() == 11)
            var read = ByteBuffer()
            #expect(try file.read(into: &read, count: 100, at: 6) == 5)
            #expect(String(buffer: read) == "World")
            try file.truncate(to: 5)
            try fileSystem.rename(atPath: root + "/a/b/f", toPath: root + "/a/b/g")
            #expect(try fileSystem.contentsOfDirectory(atPath: root + "/a/b") == ["g"])
            // The handle outlives the rename and the removal, as a reader's would.
            try fileSystem.removeFile(atPath: root + "/a/b/g")
            read.clear()
            #expect(try file.read(into: &read, count: 100, at: 0) == 5)
            try fileSystem.syncDirectory(atPath: root + "/a/b")
            try fileSystem.removeDirectory(atPath: root + "/a/b")
            #expect(!fileSystem.fileExists(atPath: root + "/a/b"))
            do {
                _ = try fileSystem.openFile(atPath: root + "/missing", creating: false)
                Issue.record("opening a missing file should fail")
            } catch let error as StorageError {
                #expect(error.code == .notFound && error.errno == ENOENT)
            }
        }
    }

    @Test func aLogOnDiskSurvivesACrashAndACleanRestart() throws {
        try withTemporaryFolder { root in
            let logger = TestDataFolder().logger
            let configuration = LogConfiguration(segmentBytes: 2048, indexIntervalBytes: 256)
            let manager = try LogManager(
                directory: root, fileSystem: PosixFileSystem(), logger: logger, defaultConfiguration: configuration)
            let log = try manager.createLog(testPartition, topicId: "id")
            for _ in 0..<50 { _ = try log.append(makeBatch(count: 2, valueSize: 30), appendTimeMs: 0) }
            try log.flush()
            // Crash with a torn batch at the end of the active segment.
            let active = try FileManager.default.contentsOfDirectory(atPath: root + "/orders-0").filter { $0.hasSuffix(".log") }.max()!
            let handle = try #require(FileHandle(forWritingAtPath: root + "/orders-0/" + active))
            handle.seekToEndOfFile()
            handle.write(Data(makeBatch(count: 2).readableBytesView.prefix(40)))
            try handle.close()

            let recovered = try LogManager(
                directory: root, fileSystem: PosixFileSystem(), logger: logger, defaultConfiguration: configuration)
            let log2 = try #require(recovered.log(for: testPartition))
            #expect(log2.logEndOffset == 100)
            #expect(try readAll(log2).map(\.offset) == Array(0..<100))
            _ = try log2.append(makeBatch(count: 2), appendTimeMs: 0)
            try recovered.shutdown()

            let clean = try LogManager(directory: root, fileSystem: PosixFileSystem(), logger: logger, defaultConfiguration: configuration)
            #expect(clean.hadCleanShutdown)
            #expect(try readAll(#require(clean.log(for: testPartition))).map(\.offset) == Array(0..<102))
            #expect(clean.topicId(for: testPartition) == "id")
        }
    }
}
