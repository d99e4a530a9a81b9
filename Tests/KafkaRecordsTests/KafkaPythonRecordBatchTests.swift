import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite(.tags(.pure)) struct KafkaPythonRecordBatchTests {
    @Test func uncompressedBatchHeaderReadsAsKafkaPythonWroteIt() throws {
        let header = try onlyBatch(in: KafkaPythonVectors.uncompressedBatch).header
        #expect(header.baseOffset == 0)
        #expect(header.totalSize == KafkaPythonVectors.uncompressedBatch.readableBytes)
        #expect(header.partitionLeaderEpoch == 0)
        #expect(header.magic == 2)
        #expect(header.attributes == RecordBatchAttributes(compression: .none))
        #expect(header.lastOffsetDelta == 3)
        #expect(header.baseTimestamp == 1_700_000_000_000)
        #expect(header.maxTimestamp == 1_700_000_000_100)
        #expect(header.producerId == -1)
        #expect(header.producerEpoch == -1)
        #expect(header.baseSequence == -1)
        #expect(header.recordCount == 4)
    }

    @Test func uncompressedBatchDecodesToTheAppendedRecords() throws {
        let records = try onlyBatch(in: KafkaPythonVectors.uncompressedBatch).decodedRecords()
        let expected = KafkaPythonVectors.plainRecords.enumerated().map { index, record in
            DecodedRecord(
                offset: Int64(index), timestamp: record.timestamp, timestampType: .createTime,
                key: record.key, value: record.value, headers: record.headers)
        }
        #expect(records == expected)
    }

    @Test func gzipBatchDecodesToTheAppendedRecords() throws {
        let batch = try onlyBatch(in: KafkaPythonVectors.gzipBatch)
        #expect(batch.header.attributes.compression == .gzip)
        let records = try batch.decodedRecords()
        let expected = (0..<5).map { index in
            DecodedRecord(
                offset: Int64(index), timestamp: 1_700_000_000_000 + Int64(index), timestampType: .createTime,
                key: ByteBuffer(string: "key-\(index)"), value: KafkaPythonVectors.gzipRecordValue)
        }
        #expect(records == expected)
    }

    @Test(arguments: [
        (CompressionCodec.snappy, KafkaPythonVectors.snappyBatch), (.lz4, KafkaPythonVectors.lz4Batch),
        (.zstd, KafkaPythonVectors.zstdBatch),
    ])
    func compressedBatchDecodesToTheAppendedRecords(codec: CompressionCodec, bytes: ByteBuffer) throws {
        let batch = try onlyBatch(in: bytes)
        #expect(batch.header.attributes.compression == codec)
        let records = try batch.decodedRecords()
        let expected = (0..<5).map { index in
            DecodedRecord(
                offset: Int64(index), timestamp: 1_700_000_000_000 + Int64(index), timestampType: .createTime,
                key: ByteBuffer(string: "key-\(index)"), value: KafkaPythonVectors.gzipRecordValue)
        }
        #expect(records == expected)
    }

    @Test func ourEncodingOfTheSameRecordsIsByteForByteKafkaPythons() throws {
        // kafka-python writes partitionLeaderEpoch 0 where Java writes -1.
        var builder = RecordBatchBuilder(partitionLeaderEpoch: 0)
        for record in KafkaPythonVectors.plainRecords {
            builder.append(timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers)
        }
        let ours = try builder.build()
        #expect(ours.hexString == KafkaPythonVectors.uncompressedBatch.hexString)
    }
}
