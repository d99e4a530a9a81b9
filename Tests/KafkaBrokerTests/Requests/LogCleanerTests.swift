import Foundation
import KafkaBroker
import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// The cleaner compacts a compacted topic every `log.cleaner.backoff.ms`, not only on the
/// retention pass: a segment rolled by `segment.ms` becomes cleanable and its duplicate keys go.
@Suite("Log cleaner", .serialized, .tags(.component))
struct LogCleanerTests {
    /// Every "key=value" of the partition from offset 0, in offset order; one Fetch returns at
    /// most one segment, so it fetches until the log end.
    static func keysAndValues(_ topic: String, on connection: inout RawKafkaConnection) async throws -> [String] {
        var pairs: [String] = []
        var offset: Int64 = 0
        let end = try await connection.latestOffset(topic, partition: 0)
        while offset < end {
            let fetched = try await connection.roundTrip(
                FetchRequest(
                    maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                    topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20)])]),
                version: 12)
            let records = try #require(fetched.responses.first?.partitions.first?.records)
            var view = RecordBatchView(records)
            while let entry = try view.next() {
                guard case .batch(let batch) = entry else { break }
                for record in try batch.decodedRecords() {
                    pairs.append("\(record.key.map { String(buffer: $0) } ?? "")=\(record.value.map { String(buffer: $0) } ?? "null")")
                }
                offset = batch.header.nextOffset
            }
        }
        return pairs
    }

    @Test func duplicateKeysAreCompactedOnceTheSegmentRolls() async throws {
        try await InProcessBroker.with(settings: ["log.cleaner.backoff.ms": "100"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("latest", configs: ["cleanup.policy": "compact", "segment.ms": "100"])
                let now = Int64(Date.now.timeIntervalSince1970 * 1000)
                for (key, value) in [("a", "1"), ("b", "1"), ("a", "2"), ("a", "3")] {
                    let produced = try await connection.produce(
                        "latest", partition: 0, records: [(key, ByteBuffer(string: value), [])], timestamp: now - 1_000)
                    #expect(produced.error == .noError)
                }
                // Younger than the segment's first record by more than segment.ms: the segment rolls.
                try await connection.produce("latest", partition: 0, records: [("b", ByteBuffer(string: "2"), [])], timestamp: now)
                let compacted = try await waitUntil(timeout: .seconds(20)) {
                    try await Self.keysAndValues("latest", on: &connection) == ["b=1", "a=3", "b=2"]
                }
                let found = try await Self.keysAndValues("latest", on: &connection)
                #expect(compacted, "found \(found)")
            }
        }
    }

    @Test func withTheCleanerOffNothingIsCompacted() async throws {
        try await InProcessBroker.with(settings: ["log.cleaner.backoff.ms": "10", "log.cleaner.enable": "false"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("as-written", configs: ["cleanup.policy": "compact", "segment.ms": "100"])
                let now = Int64(Date.now.timeIntervalSince1970 * 1000)
                try await connection.produce(
                    "as-written", partition: 0, records: [("a", ByteBuffer(string: "1"), [])], timestamp: now - 1_000)
                try await connection.produce(
                    "as-written", partition: 0, records: [("a", ByteBuffer(string: "2"), [])], timestamp: now - 1_000)
                try await connection.produce("as-written", partition: 0, records: [("a", ByteBuffer(string: "3"), [])], timestamp: now)
                let compacted = try await waitUntil(timeout: .milliseconds(500)) {
                    try await Self.keysAndValues("as-written", on: &connection).count < 3
                }
                #expect(!compacted)
            }
        }
    }
}
