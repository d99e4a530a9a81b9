import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct RecordBatchRoundTripTests {
    static let codecs: [CompressionCodec] = [.none, .gzip]

    @Test(arguments: codecs)
    func keysValuesAndHeadersSurvive(compression: CompressionCodec) throws {
        var builder = RecordBatchBuilder(compression: compression)
        for record in KafkaPythonVectors.plainRecords {
            builder.append(timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers)
        }
        let batch = try onlyBatch(in: try builder.build())
        #expect(batch.header.attributes.compression == compression)
        let records = try batch.records()
        #expect(records.count == KafkaPythonVectors.plainRecords.count)
        for (index, (record, appended)) in zip(records, KafkaPythonVectors.plainRecords).enumerated() {
            #expect(record.offsetDelta == Int32(index))
            #expect(record.offset(in: batch.header) == Int64(index))
            #expect(record.timestamp(in: batch.header) == appended.timestamp)
            #expect(record.key == appended.key)
            #expect(record.value == appended.value)
            #expect(record.headers == appended.headers)
        }
    }

    @Test(arguments: codecs)
    func manyRecordsOfGrowingSizeSurvive(compression: CompressionCodec) throws {
        // Sizes cross the 1-, 2- and 3-byte varint boundaries (64, 8192 after zig-zag).
        let sizes = [0, 1, 63, 64, 65, 127, 128, 8191, 8192, 8193, 20_000] + Array(repeating: 10, count: 1000)
        var builder = RecordBatchBuilder(compression: compression, baseOffset: 1_000_000)
        for (index, size) in sizes.enumerated() {
            let value = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: size)
            let key = index.isMultiple(of: 3) ? nil : ByteBuffer(string: "key-\(index)")
            builder.append(timestamp: 1_700_000_000_000 + Int64(index) * 1000, key: key, value: value)
        }
        #expect(builder.recordCount == Int32(sizes.count))
        let batch = try onlyBatch(in: try builder.build())
        #expect(batch.header.lastOffsetDelta == Int32(sizes.count - 1))
        #expect(batch.header.nextOffset == 1_000_000 + Int64(sizes.count))
        #expect(batch.header.maxTimestamp == 1_700_000_000_000 + Int64(sizes.count - 1) * 1000)
        let records = try batch.decodedRecords()
        #expect(records.count == sizes.count)
        for (index, record) in records.enumerated() {
            #expect(record.offset == 1_000_000 + Int64(index))
            #expect(record.value?.readableBytes == sizes[index])
            #expect(record.key == (index.isMultiple(of: 3) ? nil : ByteBuffer(string: "key-\(index)")))
        }
    }

    @Test(arguments: codecs)
    func nullKeysAndValuesDifferFromEmptyOnes(compression: CompressionCodec) throws {
        var builder = RecordBatchBuilder(compression: compression)
        builder.append(timestamp: 1, key: nil, value: nil)
        builder.append(timestamp: 2, key: ByteBuffer(), value: ByteBuffer())
        builder.append(timestamp: 3, key: nil, value: nil, headers: [RecordHeader(key: "", value: nil)])
        let records = try onlyBatch(in: try builder.build()).records()
        #expect(records.map(\.key) == [nil, ByteBuffer(), nil])
        #expect(records.map(\.value) == [nil, ByteBuffer(), nil])
        #expect(records[2].headers == [RecordHeader(key: "", value: nil)])
    }

    @Test func producerFieldsAndOffsetsAreWrittenToTheHeader() throws {
        var builder = RecordBatchBuilder(
            compression: .gzip, baseOffset: 77, partitionLeaderEpoch: 5,
            producerId: 4242, producerEpoch: 3, baseSequence: 19)
        builder.append(timestamp: 500, key: nil, value: ByteBuffer(string: "a"))
        builder.append(timestamp: 400, key: nil, value: ByteBuffer(string: "b"))
        let header = try onlyBatch(in: try builder.build()).header
        #expect(header.baseOffset == 77)
        #expect(header.partitionLeaderEpoch == 5)
        #expect(header.producerId == 4242)
        #expect(header.producerEpoch == 3)
        #expect(header.baseSequence == 19)
        #expect(header.baseTimestamp == 500)
        #expect(header.maxTimestamp == 500)
        #expect(header.lastOffset == 78)
        #expect(header.attributes.timestampType == .createTime)
        #expect(!header.attributes.isTransactional)
        #expect(!header.attributes.isControl)
    }

    @Test func anEmptyBatchHasNoRecordsAndNoTimestamp() throws {
        let batch = try onlyBatch(in: try RecordBatchBuilder().build())
        #expect(batch.header.recordCount == 0)
        #expect(batch.header.baseTimestamp == -1)
        #expect(try batch.records().isEmpty)
    }

    @Test func logAppendTimeGivesEveryRecordTheBatchMaxTimestamp() throws {
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 10, key: nil, value: nil)
        builder.append(timestamp: 20, key: nil, value: nil)
        var bytes = try builder.build()
        // As a broker with log.message.timestamp.type=LogAppendTime does: set bit 3 and maxTimestamp.
        bytes.setInteger(Int16(1 << 3), at: 21)
        bytes.setInteger(Int64(99), at: 35)
        bytes.fixRecordBatchChecksum()
        let records = try onlyBatch(in: bytes).decodedRecords()
        #expect(records.map(\.timestamp) == [99, 99])
        #expect(records.map(\.timestampType) == [.logAppendTime, .logAppendTime])
    }
}
