import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct RecordBatchValidationTests {
    static func sampleBatch(_ compression: CompressionCodec = .none, records: Int = 3) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(compression: compression)
        for index in 0..<records {
            builder.append(
                timestamp: 1_700_000_000_000 + Int64(index), key: ByteBuffer(string: "key-\(index)"),
                value: ByteBuffer(string: "value-\(index)"),
                headers: [RecordHeader(key: "h", value: ByteBuffer(string: "\(index)"))])
        }
        return try builder.build()
    }

    /// A none batch, a gzip batch and two kafka-python magic 1 messages back to back.
    static func sampleMessageSet() throws -> ByteBuffer {
        var messageSet = try sampleBatch(.none)
        messageSet.writeImmutableBuffer(try sampleBatch(.gzip, records: 4))
        messageSet.writeImmutableBuffer(KafkaPythonVectors.v1Messages)
        return messageSet
    }

    @Test(arguments: [CompressionCodec.none, .gzip])
    func aFlippedBitAnywhereTheCRCCoversIsCorruptMessage(compression: CompressionCodec) throws {
        let original = try Self.sampleBatch(compression)
        for index in 17..<original.readableBytes {
            var corrupted = original
            corrupted.setInteger(corrupted.getInteger(at: index, as: UInt8.self)! ^ 0x10, at: index)
            #expect(errorCode { try RecordBatch(corrupted) } == .corruptMessage, "byte \(index)")
        }
    }

    /// A batch from the wire whose base offset and base timestamp sit at the end of Int64: its
    /// records' offsets and timestamps wrap around as in Kafka instead of trapping (a broker that
    /// recompresses decodes every record of a client's batch).
    @Test func offsetsAndTimestampsAtTheEndOfInt64WrapInsteadOfTrapping() throws {
        var bytes = try Self.sampleBatch(.none, records: 3)
        bytes.setInteger(Int64.max, at: bytes.readerIndex)
        bytes.setInteger(Int64.max, at: bytes.readerIndex + 27)
        let covered = bytes.getSlice(at: bytes.readerIndex + 21, length: bytes.readableBytes - 21)!
        bytes.setInteger(CRC32C.checksum(covered), at: bytes.readerIndex + 17)
        let batch = try RecordBatch(bytes)
        #expect(batch.header.nextOffset == Int64.min + 2)
        let records = try batch.decodedRecords()
        #expect(records.map(\.offset) == [Int64.max, Int64.min, Int64.min + 1])
        #expect(records.map(\.timestamp) == [Int64.max, Int64.min, Int64.min + 1])
        let rewritten = try RecordBatch(rewriting: batch.header, keeping: try batch.records())
        #expect(rewritten.header.maxTimestamp == Int64.min + 1)
    }

    @Test func skippingTheChecksumAcceptsACorruptedBatch() throws {
        var corrupted = try Self.sampleBatch()
        corrupted.setInteger(UInt32(0xDEAD_BEEF), at: 17)
        let batch = try RecordBatch(corrupted, verifyingChecksum: false)
        #expect(batch.computedChecksum != batch.header.crc)
        #expect(try batch.records().count == 3)
        #expect(errorCode { try entries(of: corrupted) } == .corruptMessage)
        #expect(try entries(of: corrupted, verifyingChecksums: false).count == 1)
    }

    @Test func rewritingBaseOffsetAndLeaderEpochKeepsTheBatchValid() throws {
        var batch = try RecordBatch(try Self.sampleBatch())
        batch.setBaseOffset(1_000)
        batch.setPartitionLeaderEpoch(7)
        let reread = try RecordBatch(batch.bytes)
        #expect(reread.header == batch.header)
        #expect(reread.header.baseOffset == 1_000)
        #expect(reread.header.partitionLeaderEpoch == 7)
        #expect(try reread.decodedRecords().map(\.offset) == [1_000, 1_001, 1_002])
    }

    @Test func rewritingInPlaceInsideAMessageSetTouchesOnlyThatBatch() throws {
        var messageSet = try Self.sampleMessageSet()
        let secondBatchIndex = messageSet.readerIndex + (try Self.sampleBatch()).readableBytes
        messageSet.setRecordBatchBaseOffset(500, batchAt: secondBatchIndex)
        messageSet.setRecordBatchPartitionLeaderEpoch(9, batchAt: secondBatchIndex)
        let all = try entries(of: messageSet)
        guard case .batch(let first) = all[0], case .batch(let second) = all[1] else {
            Issue.record("expected two batches, got \(all)")
            return
        }
        #expect(first.header.baseOffset == 0)
        #expect(second.header.baseOffset == 500)
        #expect(second.header.partitionLeaderEpoch == 9)
        #expect(try second.decodedRecords().map(\.offset) == [500, 501, 502, 503])
    }

    @Test func theViewYieldsEachEntryOfAMixedMessageSet() throws {
        let all = try entries(of: try Self.sampleMessageSet())
        #expect(all.count == 4)
        guard case .batch(let none) = all[0], case .batch(let gzip) = all[1], case .legacyMessage(let legacy) = all[3]
        else {
            Issue.record("unexpected entries \(all)")
            return
        }
        #expect(none.header.attributes.compression == .none)
        #expect(gzip.header.attributes.compression == .gzip)
        #expect(legacy.magic == 1)
    }

    @Test func everyTruncationOfAMessageSetEndsInIncompleteAndNeverFails() throws {
        try expectEveryPrefixFramesCleanly(try Self.sampleMessageSet())
    }

    @Test(arguments: [CompressionCodec.none, .gzip])
    func everyTruncationOfASingleBatchThrows(compression: CompressionCodec) throws {
        let batch = try Self.sampleBatch(compression)
        for length in 0..<batch.readableBytes {
            let prefix = batch.getSlice(at: batch.readerIndex, length: length)!
            #expect(errorCode { try RecordBatch(prefix) } == .truncated, "prefix of \(length) bytes")
        }
    }

    @Test(arguments: [CompressionCodec.none, .gzip])
    func anyByteValueAnywhereDecodesOrThrowsButNeverCrashes(compression: CompressionCodec) throws {
        let original = try Self.sampleBatch(compression)
        for index in 0..<original.readableBytes {
            for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                var damaged = original
                damaged.setInteger(value, at: index)
                // With the checksum skipped the damage reaches the record decoder.
                do {
                    for entry in try entries(of: damaged, verifyingChecksums: false) {
                        if case .batch(let batch) = entry {
                            _ = try batch.records(decompressionLimit: 1 << 20)
                        }
                    }
                } catch {
                    // A typed RecordBatchError is the expected outcome for most positions.
                }
            }
        }
    }

    @Test func anUnknownMagicIsUnsupportedMagic() throws {
        var bytes = try Self.sampleBatch()
        bytes.setInteger(Int8(3), at: 16)
        #expect(errorCode { try entries(of: bytes) } == .unsupportedMagic)
        #expect(errorCode { try RecordBatch(bytes) } == .unsupportedMagic)
        #expect(errorCode { try RecordBatchHeader(parsing: bytes) } == .unsupportedMagic)
    }

    @Test func aCodecWithoutImplementationIsUnsupportedCompression() throws {
        var bytes = try Self.sampleBatch()
        // Kafka defines codecs 0-4; 5 has no implementation anywhere.
        let undefined = CompressionCodec(rawValue: 5)
        bytes.setInteger(Int16(undefined.rawValue), at: 21)
        bytes.fixRecordBatchChecksum()
        let batch = try onlyBatch(in: bytes)
        #expect(batch.header.attributes.compression == undefined)
        #expect(errorCode { try batch.records() } == .unsupportedCompression)

        var builder = RecordBatchBuilder(compression: undefined)
        builder.append(timestamp: 0, key: nil, value: nil)
        #expect(errorCode { try builder.build() } == .unsupportedCompression)
    }

    @Test func aRegisteredCodecIsUsedForItsNumber() throws {
        /// Stands in for lz4: "compresses" by copying, to show a codec plugs in through the registry.
        struct CopyingCompressor: RecordCompressor {
            var codec: CompressionCodec { .lz4 }
            func compress(_ uncompressed: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer { uncompressed }
            func decompress(_ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
                compressed
            }
        }
        var codecs = CompressionCodecRegistry.builtIn
        codecs.register(CopyingCompressor())
        var builder = RecordBatchBuilder(compression: .lz4, codecs: codecs)
        builder.append(timestamp: 0, key: nil, value: ByteBuffer(string: "plugged in"))
        let batch = try onlyBatch(in: try builder.build())
        #expect(batch.header.attributes.compression == .lz4)
        #expect(try batch.records(codecs: codecs).map(\.value) == [ByteBuffer(string: "plugged in")])
    }

    @Test func decompressionStopsAtTheLimit() throws {
        var builder = RecordBatchBuilder(compression: .gzip)
        builder.append(timestamp: 0, key: nil, value: ByteBuffer(repeating: 0, count: 1 << 20))
        let batch = try onlyBatch(in: try builder.build())
        #expect(batch.bytes.readableBytes < 10_000)
        #expect(errorCode { try batch.records(decompressionLimit: 100_000) } == .decompressionLimitExceeded)
        #expect(try batch.records(decompressionLimit: 2 << 20).count == 1)
    }

    @Test func aRecordCountThatDisagreesWithTheRecordsIsInvalidRecord() throws {
        for count: Int32 in [2, 4, -1] {
            var bytes = try Self.sampleBatch()
            bytes.setInteger(count, at: 57)
            bytes.fixRecordBatchChecksum()
            let batch = try onlyBatch(in: bytes)
            #expect(errorCode { try batch.records() } == .invalidRecord, "record count \(count)")
        }
    }

    @Test func aBatchLengthThatDisagreesWithTheBytesIsRejected() throws {
        let bytes = try Self.sampleBatch()
        var shortLength = bytes
        shortLength.setInteger(Int32(48), at: 8)
        #expect(errorCode { try RecordBatchHeader(parsing: shortLength) } == .corruptMessage)
        var withTrailingBytes = bytes
        withTrailingBytes.writeInteger(UInt8(0))
        #expect(errorCode { try RecordBatch(withTrailingBytes) } == .corruptMessage)
        var negativeSize = bytes
        negativeSize.setInteger(Int32(-1), at: 8)
        #expect(errorCode { try entries(of: negativeSize) } == .corruptMessage)
    }

    @Test func errorsSayWhereTheyHappened() throws {
        var messageSet = try Self.sampleMessageSet()
        let secondBatchIndex = (try Self.sampleBatch()).readableBytes
        messageSet.setRecordBatchBaseOffset(300, batchAt: secondBatchIndex)
        messageSet.setInteger(UInt32(0), at: secondBatchIndex + 17)
        do {
            _ = try entries(of: messageSet)
            Issue.record("a zeroed CRC was accepted")
        } catch {
            #expect(error.code == .corruptMessage)
            #expect(error.byteOffset == secondBatchIndex)
            #expect(error.batchOffset == 300)
        }
    }
}
