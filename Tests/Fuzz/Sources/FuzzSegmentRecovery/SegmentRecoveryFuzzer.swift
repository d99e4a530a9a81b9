import FuzzSupport
import KafkaRecords
import KafkaStorage
import Logging
import NIOCore

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    SeedWriter.writeSeedsIfAsked { [("segment", $0.segment)] }
    return 0
}

private let partition = TopicPartition(topic: "fuzz", partition: 0)
private let silent = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }

/// The input is the only segment of a partition found after a crash (no clean-shutdown marker),
/// with its v2 checksums repaired so recovery looks past them. Recovery must not trap; then every
/// batch it kept is read, an append goes on after it, and a clean restart finds the same log.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegmentRecovery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let fileSystem = InMemoryFileSystem()
    let segment = ChecksumRepair.repaired(ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size)))
    do {
        try fileSystem.createDirectory(atPath: "/data/fuzz-0")
        try fileSystem.openFile(atPath: "/data/fuzz-0/00000000000000000000.log", creating: true).write(segment, at: 0)
        let manager = try LogManager(directory: "/data", fileSystem: fileSystem, logger: silent)
        guard let log = manager.log(for: partition) else { fatalError("the partition was not loaded") }
        var offset = log.logStartOffset
        for _ in 0..<10_000 where offset < log.logEndOffset {
            let read = try log.read(from: offset, maxBytes: 1 << 16, minOneBatch: true)
            var view = RecordBatchView(read.records)
            var last: Int64?
            while case .batch(let batch)? = try view.next() { last = batch.header.lastOffset }
            guard let last, last >= offset else { fatalError("a read from \(offset) below the log end made no progress") }
            offset = last + 1
        }
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 0, key: nil, value: ByteBuffer(string: "after recovery"))
        let appended = try log.append(try builder.build(), appendTimeMs: 0)
        try manager.shutdown()
        let reopened = try LogManager(directory: "/data", fileSystem: fileSystem, logger: silent)
        guard reopened.log(for: partition)?.logEndOffset == appended.lastOffset + 1 else {
            fatalError("a clean restart lost the log end offset \(appended.lastOffset + 1)")
        }
    } catch {
        // Refusing bad input with an error is fine; trapping or a broken invariant is not.
    }
    return 0
}
