import KafkaRecords
import KafkaStorage
import Logging
import NIOCore
import SamsaTestSupport
import Testing

/// One record to put in a test batch.
struct TestRecord {
    var key: String?
    var value: String?
    var timestamp: Int64 = 1_000
}

/// A RecordBatch v2 as a producer sends it (base offset 0), built by KafkaRecords' builder.
func makeBatch(
    _ records: [TestRecord], producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1,
    compression: CompressionCodec = .none, isTransactional: Bool = false
) -> ByteBuffer {
    var builder = RecordBatchBuilder(
        compression: compression, producerId: producerId, producerEpoch: producerEpoch, baseSequence: baseSequence)
    builder.isTransactional = isTransactional
    for record in records {
        builder.append(
            timestamp: record.timestamp, key: record.key.map { ByteBuffer(string: $0) },
            value: record.value.map { ByteBuffer(string: $0) })
    }
    return try! builder.build()
}

/// A batch of `count` records with values "v0", "v1", … and the given timestamp.
func makeBatch(count: Int, timestamp: Int64 = 1_000, valueSize: Int = 0) -> ByteBuffer {
    makeBatch(
        (0..<count).map { index in
            TestRecord(key: nil, value: "v\(index)" + String(repeating: "x", count: valueSize), timestamp: timestamp)
        })
}

/// The whole batches of a read, parsed and CRC-checked.
func batches(in records: ByteBuffer) throws -> [RecordBatch] {
    var view = RecordBatchView(records, verifyingChecksums: true)
    var result: [RecordBatch] = []
    while let entry = try view.next() {
        guard case .batch(let batch) = entry else {
            Issue.record("read returned something other than whole v2 batches: \(entry)")
            break
        }
        result.append(batch)
    }
    return result
}

/// Every record of a read, decoded.
func records(in buffer: ByteBuffer) throws -> [DecodedRecord] {
    try batches(in: buffer).flatMap { try $0.decodedRecords() }
}

/// Reads the whole log from its start, batch after batch, and returns every record.
func readAll(_ log: PartitionLog) throws -> [DecodedRecord] {
    var result: [DecodedRecord] = []
    var offset = log.logStartOffset
    while offset < log.logEndOffset {
        let read = try log.read(from: offset, maxBytes: 1 << 20, minOneBatch: true)
        let found = try batches(in: read.records)
        guard let last = found.last else {
            Issue.record("no batch at offset \(offset) below the log end offset \(log.logEndOffset)")
            break
        }
        result += try found.flatMap { try $0.decodedRecords() }.filter { $0.offset >= offset }
        offset = last.header.lastOffset + 1
    }
    return result
}

extension DecodedRecord {
    var valueString: String? { value.map { String(buffer: $0) } }
    var keyString: String? { key.map { String(buffer: $0) } }
}

/// A data folder on an in-memory file system, reopened as often as a test likes.
struct TestDataFolder {
    let fileSystem = InMemoryFileSystem()
    let directory = "/data"
    let messages = RecordedLogLines()

    var logger: Logger {
        Logger(label: "test") { _ in RecordingLogHandler(lines: messages) }
    }

    /// A log manager over the folder, as a broker start-up would open it.
    func open(_ configuration: LogConfiguration = LogConfiguration()) throws -> LogManager {
        try LogManager(directory: directory, fileSystem: fileSystem, logger: logger, defaultConfiguration: configuration)
    }

    func segmentPath(_ topicPartition: TopicPartition, baseOffset: Int64, suffix: String = ".log") -> String {
        let digits = String(baseOffset)
        return "\(directory)/\(topicPartition)/" + String(repeating: "0", count: 20 - digits.count) + digits + suffix
    }

    /// Overwrites or extends a file, as a crash or a bad disk would.
    func write(_ bytes: [UInt8], toFileAt path: String, at offset: Int64) throws {
        let file = try fileSystem.openFile(atPath: path, creating: false)
        try file.write(ByteBuffer(bytes: bytes), at: offset)
    }

    func size(ofFileAt path: String) -> Int {
        fileSystem.contents(ofFileAtPath: path)?.count ?? -1
    }
}

let testPartition = TopicPartition(topic: "orders", partition: 0)
