import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct LegacyMessageTests {
    /// Every record in a message set of legacy messages, through the view.
    static func decodedRecords(_ messageSet: ByteBuffer) throws -> [DecodedRecord] {
        try entries(of: messageSet).flatMap { entry throws(RecordBatchError) -> [DecodedRecord] in
            guard case .legacyMessage(let message) = entry else {
                throw RecordBatchError(.invalidRecord, "expected a legacy message, got \(entry)")
            }
            return try message.decodedRecords()
        }
    }

    static func record(
        _ offset: Int64, _ timestamp: Int64, _ type: TimestampType, _ key: String?, _ value: String?
    ) -> DecodedRecord {
        DecodedRecord(
            offset: offset, timestamp: timestamp, timestampType: type,
            key: key.map { ByteBuffer(string: $0) }, value: value.map { ByteBuffer(string: $0) })
    }

    @Test func magic0MessagesHaveOffsetsAndNoTimestamp() throws {
        #expect(
            try Self.decodedRecords(KafkaPythonVectors.v0Messages) == [
                Self.record(10, -1, .noTimestamp, "k10", "v10"),
                Self.record(11, -1, .noTimestamp, nil, "v11"),
                Self.record(12, -1, .noTimestamp, "k12", nil),
            ])
    }

    @Test func magic1MessagesCarryTheirTimestamps() throws {
        #expect(
            try Self.decodedRecords(KafkaPythonVectors.v1Messages) == [
                Self.record(20, 1_700_000_000_020, .createTime, "k20", "v20"),
                Self.record(21, 1_700_000_000_021, .createTime, nil, "v21"),
            ])
    }

    @Test func magic0GzipInnerOffsetsAreAbsolute() throws {
        #expect(
            try Self.decodedRecords(KafkaPythonVectors.v0GzipWrapper) == [
                Self.record(30, -1, .noTimestamp, "k30", "v30"),
                Self.record(31, -1, .noTimestamp, "k31", "v31"),
                Self.record(32, -1, .noTimestamp, nil, "v32"),
            ])
    }

    @Test func magic1GzipInnerOffsetsCountBackFromTheWrapperOffset() throws {
        #expect(
            try Self.decodedRecords(KafkaPythonVectors.v1GzipWrapper) == [
                Self.record(40, 1_700_000_000_040, .createTime, "k40", "v40"),
                Self.record(41, 1_700_000_000_041, .createTime, "k41", "v41"),
                Self.record(42, 1_700_000_000_042, .createTime, nil, "v42"),
            ])
    }

    @Test func logAppendTimeWrapperTimestampReplacesTheInnerOnes() throws {
        #expect(
            try Self.decodedRecords(KafkaPythonVectors.v1GzipWrapperLogAppendTime) == [
                Self.record(50, 1_700_000_009_999, .logAppendTime, "k50", "v50"),
                Self.record(51, 1_700_000_009_999, .logAppendTime, "k51", "v51"),
            ])
    }

    @Test func aWrapperHeaderReadsAsWritten() throws {
        let message = try LegacyMessage(KafkaPythonVectors.v1GzipWrapper)
        #expect(message.offset == 42)
        #expect(message.magic == 1)
        #expect(message.compression == .gzip)
        #expect(message.timestampType == .createTime)
        #expect(message.key == nil)
    }

    @Test func aFlippedBitAnywhereTheCRCCoversIsCorruptMessage() throws {
        let original = KafkaPythonVectors.v1GzipWrapper
        // Byte 16, the magic, is covered too, but flipping it makes the magic unsupported first.
        for index in 17..<original.readableBytes {
            var corrupted = original
            corrupted.setInteger(corrupted.getInteger(at: index, as: UInt8.self)! ^ 0x04, at: index)
            #expect(errorCode { try LegacyMessage(corrupted) } == .corruptMessage, "byte \(index)")
        }
    }

    @Test func everyTruncationEndsInIncompleteAndNeverFails() throws {
        var messageSet = KafkaPythonVectors.v0Messages
        messageSet.writeImmutableBuffer(KafkaPythonVectors.v1GzipWrapper)
        messageSet.writeImmutableBuffer(KafkaPythonVectors.v1Messages)
        try expectEveryPrefixFramesCleanly(messageSet)
    }

    @Test func anyByteValueAnywhereDecodesOrThrowsButNeverCrashes() {
        let samples = [KafkaPythonVectors.v0GzipWrapper, KafkaPythonVectors.v1GzipWrapper, KafkaPythonVectors.v1Messages]
        for original in samples {
            for index in 0..<original.readableBytes {
                for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                    var damaged = original
                    damaged.setInteger(value, at: index)
                    _ = errorCode { try Self.decodedRecordsSkippingChecksums(damaged) }
                }
            }
        }
    }

    static func decodedRecordsSkippingChecksums(_ messageSet: ByteBuffer) throws -> [DecodedRecord] {
        let all = try entries(of: messageSet, verifyingChecksums: false)
        return try all.flatMap { entry throws(RecordBatchError) -> [DecodedRecord] in
            guard case .legacyMessage(let message) = entry else { return [] }
            return try message.decodedRecords(decompressionLimit: 1 << 20)
        }
    }
}
