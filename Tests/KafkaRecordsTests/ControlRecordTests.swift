import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Transaction markers (control records)", .tags(.pure))
struct ControlRecordTests {
    @Test func aCommitMarkerIsEncodedAsKafkaWritesIt() {
        let marker = ControlRecord(type: .commit, coordinatorEpoch: 7)
        #expect(Array(marker.key.readableBytesView) == [0, 0, 0, 1])
        #expect(Array(marker.value.readableBytesView) == [0, 0, 0, 0, 0, 7])
        #expect(Array(ControlRecord(type: .abort, coordinatorEpoch: 0).key.readableBytesView) == [0, 0, 0, 0])
    }

    @Test func aControlBatchCarriesTheMarkerWithTheTransactionalAndControlBits() throws {
        let bytes = try ControlRecord(type: .abort, coordinatorEpoch: 3).batch(
            producerId: 1_000, producerEpoch: 2, timestamp: 1_234)
        let batch = try RecordBatch(bytes)
        #expect(batch.header.attributes.isControl && batch.header.attributes.isTransactional)
        #expect(batch.header.attributes.rawValue == 0x30)
        #expect((batch.header.producerId, batch.header.producerEpoch, batch.header.baseSequence) == (1_000, 2, -1))
        #expect(batch.header.recordCount == 1)
        #expect(try ControlRecord(batch: batch) == ControlRecord(type: .abort, coordinatorEpoch: 3))
    }

    @Test func aMarkerOfAnUnknownTypeOrWithoutValueIsRejected() {
        #expect(throws: RecordBatchError.self) {
            try ControlRecord(key: ByteBuffer(bytes: [0, 0, 0, 5]), value: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0]))
        }
        #expect(throws: RecordBatchError.self) { try ControlRecord(key: ByteBuffer(bytes: [0, 0, 0, 1]), value: nil) }
        #expect(throws: RecordBatchError.self) { try ControlRecord(key: ByteBuffer(bytes: [0, 0]), value: nil) }
    }

    @Test func aDataBatchIsNotAControlBatch() throws {
        var builder = RecordBatchBuilder(producerId: 1, producerEpoch: 0, baseSequence: 0)
        builder.isTransactional = true
        builder.append(timestamp: 0, key: ByteBuffer(bytes: [0, 0, 0, 1]), value: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0]))
        let batch = try RecordBatch(try builder.build())
        #expect(batch.header.attributes.isTransactional && !batch.header.attributes.isControl)
        #expect(throws: RecordBatchError.self) { try ControlRecord(batch: batch) }
    }
}
