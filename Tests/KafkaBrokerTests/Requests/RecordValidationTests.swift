import Foundation
import KafkaBroker
import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// Kafka's record-level checks on Produce: a compacted topic refuses records without a key, and a
/// CreateTime topic refuses timestamps outside `message.timestamp.before.max.ms` /
/// `after.max.ms` (or the older `difference.max.ms`). The batch is refused whole, with each bad
/// record named in `record_errors` from Produce v8.
@Suite("Record validation", .serialized, .tags(.component))
struct RecordValidationTests {
    static let hourMs: Int64 = 3_600_000

    static func batch(_ records: [(key: String?, timestamp: Int64)]) throws -> ByteBuffer {
        var builder = RecordBatchBuilder()
        for record in records {
            builder.append(timestamp: record.timestamp, key: record.key.map { ByteBuffer(string: $0) }, value: ByteBuffer(string: "v"))
        }
        return try builder.build()
    }

    static var nowMs: Int64 { Int64(Date.now.timeIntervalSince1970 * 1000) }

    @Test func aCompactedTopicRefusesRecordsWithoutAKeyNamingEachOne() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("compacted", configs: ["cleanup.policy": "compact"])
                let keyless = try Self.batch([(nil, Self.nowMs), ("k", Self.nowMs), (nil, Self.nowMs)])
                let refused = try #require(try await connection.produce("compacted", partition: 0, batch: keyless))
                #expect(ErrorCode(rawValue: refused.errorCode) == .invalidRecord)
                #expect(refused.baseOffset == -1)
                let message = "Compacted topic cannot accept message without key in topic partition compacted-0."
                #expect(refused.recordErrors.map(\.batchIndex) == [0, 2])
                #expect(refused.recordErrors.map(\.batchIndexErrorMessage) == [message, message])
                #expect(
                    refused.errorMessage
                        == "One or more records have been rejected due to 2 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=0, message='\(message)'), RecordError(batchIndex=2, message='\(message)')]"
                )
                let beforeV8 = try #require(try await connection.produce("compacted", partition: 0, batch: keyless, version: 7))
                #expect(ErrorCode(rawValue: beforeV8.errorCode) == .invalidRecord)
                #expect(beforeV8.recordErrors.isEmpty, "record_errors exist from v8 on")
                #expect(try await connection.latestOffset("compacted", partition: 0) == 0, "nothing of a refused batch is appended")

                let keyed = try Self.batch([("a", Self.nowMs), ("b", Self.nowMs)])
                #expect(try await connection.produce("compacted", partition: 0, batch: keyed)?.errorCode == 0)
                try await connection.createTopic("compacted-and-deleted", configs: ["cleanup.policy": "compact,delete"])
                let alsoRefused = try await connection.produce("compacted-and-deleted", partition: 0, batch: keyless)
                #expect(alsoRefused.map { ErrorCode(rawValue: $0.errorCode) } == .invalidRecord)
                try await connection.createTopic("deleted")
                #expect(try await connection.produce("deleted", partition: 0, batch: keyless)?.errorCode == 0)
            }
        }
    }

    @Test func timestampsOutsideTheTopicsBoundsAreRefused() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic(
                    "bounded",
                    configs: ["message.timestamp.before.max.ms": "\(Self.hourMs)", "message.timestamp.after.max.ms": "\(Self.hourMs)"])
                let now = Self.nowMs
                #expect(try await connection.produce("bounded", partition: 0, batch: Self.batch([("k", now)]))?.errorCode == 0)
                let stale = try Self.batch([("k", now), ("k", now - 2 * Self.hourMs)])
                let refused = try #require(try await connection.produce("bounded", partition: 0, batch: stale))
                #expect(ErrorCode(rawValue: refused.errorCode) == .invalidTimestamp)
                #expect(refused.errorMessage == "One or more records have been rejected due to invalid timestamp")
                #expect(refused.recordErrors.map(\.batchIndex) == [1])
                let recordMessage = try #require(refused.recordErrors.first?.batchIndexErrorMessage)
                #expect(recordMessage.hasPrefix("Timestamp \(now - 2 * Self.hourMs) of message with offset 1 is out of range."))
                let future = try await connection.produce("bounded", partition: 0, batch: Self.batch([("k", now + 2 * Self.hourMs)]))
                #expect(future.map { ErrorCode(rawValue: $0.errorCode) } == .invalidTimestamp)
                #expect(try await connection.latestOffset("bounded", partition: 0) == 1)

                try await connection.createTopic(
                    "appended", configs: ["message.timestamp.before.max.ms": "0", "message.timestamp.type": "LogAppendTime"])
                #expect(try await connection.produce("appended", partition: 0, batch: stale)?.errorCode == 0, "LogAppendTime checks none")
            }
        }
    }

    @Test func theDeprecatedDifferenceBoundsBothSidesUntilTheNewerSettingsAreSet() async throws {
        try await InProcessBroker.with(settings: ["log.message.timestamp.difference.max.ms": "\(Self.hourMs)"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let stale = try Self.batch([("k", Self.nowMs - 2 * Self.hourMs)])
                let early = try Self.batch([("k", Self.nowMs + 2 * Self.hourMs)])
                try await connection.createTopic("by-default")
                #expect(
                    try await connection.produce("by-default", partition: 0, batch: stale)?.errorCode == ErrorCode.invalidTimestamp.rawValue
                )
                #expect(
                    try await connection.produce("by-default", partition: 0, batch: early)?.errorCode == ErrorCode.invalidTimestamp.rawValue
                )
                try await connection.createTopic("widened", configs: ["message.timestamp.before.max.ms": "\(3 * Self.hourMs)"])
                #expect(try await connection.produce("widened", partition: 0, batch: stale)?.errorCode == 0)
                #expect(
                    try await connection.produce("widened", partition: 0, batch: early)?.errorCode == ErrorCode.invalidTimestamp.rawValue)
                let noTimestamp = try Self.batch([("k", -1)])
                #expect(try await connection.produce("by-default", partition: 0, batch: noTimestamp)?.errorCode == 0, "-1 is no timestamp")
            }
        }
    }
}
