import Benchmark
import Foundation
import KafkaProtocol
import KafkaRecords
import KafkaStorage
import Logging
import NIOCore

/// The hot paths of produce and fetch, one benchmark each: checksums, batch encode/decode,
/// gzip, request decoding of a real client's frame, segment append, index lookup and fetch read,
/// and the partitioner. Malloc counts are reported next to time: the broker's produce and fetch
/// paths should stay near zero per operation.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]
    let configuration = Benchmark.Configuration(metrics: metrics, maxDuration: .seconds(1))
    let payload = ByteBuffer(bytes: (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    Benchmark("crc32c-64KiB-hardware", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CRC32C.checksum(payload)) }
    }
    Benchmark("crc32c-64KiB-table", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CRC32C.checksum(payload, implementation: .table)) }
    }

    let values = (0..<100).map { ByteBuffer(string: String(repeating: "v", count: 90) + String(format: "%010d", $0)) }
    func buildBatch(_ codec: CompressionCodec) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(compression: codec)
        for value in values { builder.append(timestamp: 1_700_000_000_000, key: nil, value: value) }
        return try builder.build()
    }
    Benchmark("recordbatch-encode-100x100B", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try buildBatch(.none)) }
    }
    Benchmark("recordbatch-encode-100x100B-gzip", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try buildBatch(.gzip)) }
    }
    let plainBatch = try! buildBatch(.none)
    let gzipBatch = try! buildBatch(.gzip)
    Benchmark("recordbatch-validate-header-and-crc", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var view = RecordBatchView(plainBatch)
            blackHole(try view.next())
        }
    }
    Benchmark("recordbatch-decode-100-records", configuration: configuration) { benchmark in
        let batch = try RecordBatch(plainBatch)
        for _ in benchmark.scaledIterations { blackHole(try batch.records()) }
    }
    Benchmark("recordbatch-decode-100-records-gzip", configuration: configuration) { benchmark in
        let batch = try RecordBatch(gzipBatch)
        for _ in benchmark.scaledIterations { blackHole(try batch.records()) }
    }

    let gzip = GzipRecordCompressor()
    let allocator = ByteBufferAllocator()
    Benchmark("gzip-compress-64KiB", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try gzip.compress(payload, allocator: allocator)) }
    }
    let compressed = try! gzip.compress(payload, allocator: allocator)
    Benchmark("gzip-decompress-64KiB", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try gzip.decompress(compressed, limit: 1 << 20, allocator: allocator)) }
    }

    let goldenProduce = goldenFrame("produce_request_v9_kafka_python_3_0_12.bin")
    Benchmark("decode-produce-request-v9-golden", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let frame = try KafkaRequestFrame(frame: goldenProduce)
            blackHole(try frame.decodeBody(ProduceRequest.self))
        }
    }

    Benchmark("murmur2-16-byte-key", configuration: configuration) { benchmark in
        let key = Array("customer-0000042".utf8)
        for _ in benchmark.scaledIterations { blackHole(DefaultPartitioner.partition(forKey: key, partitionCount: 12)) }
    }

    Benchmark("segment-append-100-record-batch", configuration: configuration) { benchmark in
        let log = try makeLog(appending: 0)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try log.append(plainBatch, appendTimeMs: 1_700_000_000_000)) }
    }
    Benchmark("fetch-read-1MiB-from-random-offset", configuration: configuration) { benchmark in
        let log = try makeLog(appending: 2_000)
        var generator = SystemRandomNumberGenerator()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let offset = Int64.random(in: 0..<log.logEndOffset, using: &generator)
            blackHole(try log.read(from: offset, maxBytes: 1 << 20, minOneBatch: true))
        }
    }

    /// A partition log in memory with `batches` batches of 100 records.
    func makeLog(appending batches: Int) throws -> PartitionLog {
        let manager = try LogManager(directory: "/bench", fileSystem: InMemoryFileSystem(), logger: Logger(label: "bench"))
        let log = try manager.createLog(TopicPartition(topic: "bench", partition: 0), topicId: nil)
        for _ in 0..<batches { _ = try log.append(plainBatch, appendTimeMs: 1_700_000_000_000) }
        return log
    }
}

/// A frame captured from a real client (Tests/KafkaProtocolTests/GoldenFrames).
func goldenFrame(_ name: String) -> ByteBuffer {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/KafkaProtocolTests/GoldenFrames")
    guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else {
        fatalError("golden frame \(name) is missing")
    }
    return ByteBuffer(bytes: data)
}
