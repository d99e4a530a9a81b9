import Foundation
import KafkaBroker
import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// `message.timestamp.type=LogAppendTime` (per topic, or broker-wide through
/// `log.message.timestamp.type`): the broker stamps its clock on each batch and says so in the
/// Produce response, as Kafka does.
@Suite("LogAppendTime", .serialized, .tags(.component))
struct LogAppendTimeTests {
    /// A gzip batch of two records with CreateTime 1700000000000 and 1700000000005, as kafka-python
    /// 3.0.12's DefaultRecordBatchBuilder encodes it.
    static let kafkaPythonGzipBatch = ByteBuffer(
        bytes: Array(
            hex:
                "000000000000000000000060000000000273be530a0001000000010000018bcfe568000000018bcfe56805ffffffffffffffffffffffffffff000000021f8b0800fc3d116b02ffdbc4c8c0c0c0926db880b1cc90ba90611d2303171323d06023ea4206008264ed29b4000000"
        ))
    static let producerTimestamps: [Int64] = [1_700_000_000_000, 1_700_000_000_005]

    /// Produces the kafka-python batch to a new topic and returns the response's log_append_time_ms
    /// and the batch as stored.
    static func produceAndFetch(topic: String, configs: [String: String], port: Int) async throws -> (Int64, RecordBatch) {
        try await RawKafkaConnection.with(port: port) { connection in
            let created = try await connection.roundTrip(
                CreateTopicsRequest(
                    topics: [
                        .init(
                            name: topic, numPartitions: 1, replicationFactor: 1,
                            configs: configs.map { .init(name: $0.key, value: $0.value) })
                    ],
                    timeoutMs: 5_000),
                version: 5)
            #expect(created.topics.first?.errorCode == 0)
            let produced = try await connection.roundTrip(
                ProduceRequest(
                    acks: 1, timeoutMs: 5_000,
                    topicData: [.init(name: topic, partitionData: [.init(index: 0, records: kafkaPythonGzipBatch)])]),
                version: 9)
            let partition = try #require(produced.responses.first?.partitionResponses.first)
            #expect(partition.errorCode == 0)
            let fetched = try await connection.roundTrip(
                FetchRequest(
                    maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                    topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
                version: 12)
            let stored = try #require(fetched.responses.first?.partitions.first?.records)
            return (partition.logAppendTimeMs, try RecordBatch(stored, verifyingChecksum: true))
        }
    }

    @Test func aLogAppendTimeTopicStampsTheBrokersClockOnTheBatch() async throws {
        try await InProcessBroker.with { broker in
            let before = Int64(Date.now.timeIntervalSince1970 * 1000)
            let (appendTime, stored) = try await Self.produceAndFetch(
                topic: "stamped", configs: ["message.timestamp.type": "LogAppendTime"], port: broker.port)
            let after = Int64(Date.now.timeIntervalSince1970 * 1000)
            #expect((before...after).contains(appendTime), "log_append_time_ms is the broker's clock")
            #expect(stored.header.attributes.timestampType == .logAppendTime)
            #expect(stored.header.attributes.compression == .gzip, "stamped without re-encoding")
            #expect(stored.header.maxTimestamp == appendTime)
            #expect(try stored.records().map { $0.timestamp(in: stored.header) } == [appendTime, appendTime])
            #expect(
                try stored.records().compactMap { $0.value.map { String(buffer: $0) } } == [
                    String(repeating: "v1", count: 40), String(repeating: "v2", count: 40),
                ])
        }
    }

    @Test func createTimeTopicsKeepTheProducersTimestamps() async throws {
        try await InProcessBroker.with { broker in
            let (appendTime, stored) = try await Self.produceAndFetch(topic: "as-sent", configs: [:], port: broker.port)
            #expect(appendTime == -1)
            #expect(stored.header.attributes.timestampType == .createTime)
            #expect(try stored.records().map { $0.timestamp(in: stored.header) } == Self.producerTimestamps)
        }
    }

    @Test func theBrokerSettingIsEveryTopicsDefault() async throws {
        try await InProcessBroker.with(settings: ["log.message.timestamp.type": "LogAppendTime"]) { broker in
            let (appendTime, stored) = try await Self.produceAndFetch(topic: "by-default", configs: [:], port: broker.port)
            #expect(appendTime > 0)
            #expect(stored.header.maxTimestamp == appendTime)
            let (overridden, kept) = try await Self.produceAndFetch(
                topic: "overridden", configs: ["message.timestamp.type": "CreateTime"], port: broker.port)
            #expect(overridden == -1)
            #expect(try kept.records().map { $0.timestamp(in: kept.header) } == Self.producerTimestamps)
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate init(hex: String) {
        var bytes: [UInt8] = []
        var digits = hex.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            bytes.append(UInt8(String([high, low]), radix: 16)!)
        }
        self = bytes
    }
}
