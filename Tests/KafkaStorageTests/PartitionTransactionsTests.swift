import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaStorage

@Suite("Open transactions and the last stable offset", .tags(.pure))
struct PartitionTransactionsTests {
    func header(producerId: Int64, baseOffset: Int64, count: Int32 = 1, transactional: Bool = true) -> RecordBatchHeader {
        RecordBatchHeader(
            baseOffset: baseOffset, batchLength: 0, partitionLeaderEpoch: -1, crc: 0,
            attributes: RecordBatchAttributes(compression: .none, isTransactional: transactional),
            lastOffsetDelta: count - 1, baseTimestamp: 0, maxTimestamp: 0, producerId: producerId, producerEpoch: 0,
            baseSequence: 0, recordCount: count)
    }

    @Test func theOldestOpenTransactionHoldsTheLastStableOffset() {
        var transactions = PartitionTransactions()
        #expect(transactions.lastStableOffset(highWatermark: 10) == 10)
        transactions.didAppendData(header(producerId: 1, baseOffset: 10, count: 2))
        transactions.didAppendData(header(producerId: 2, baseOffset: 12))
        transactions.didAppendData(header(producerId: 1, baseOffset: 13))
        transactions.didAppendData(header(producerId: 3, baseOffset: 14, transactional: false))
        #expect(transactions.lastStableOffset(highWatermark: 15) == 10)

        #expect(transactions.didAppendMarker(.commit, producerId: 1, markerOffset: 15) == nil)
        #expect(transactions.lastStableOffset(highWatermark: 16) == 12)
        let aborted = transactions.didAppendMarker(.abort, producerId: 2, markerOffset: 16)
        #expect(aborted == AbortedTransaction(producerId: 2, firstOffset: 12, lastOffset: 16, lastStableOffset: 17))
        #expect(transactions.lastStableOffset(highWatermark: 17) == 17)
    }

    @Test func aMarkerWithoutAnOpenTransactionChangesNothing() {
        var transactions = PartitionTransactions()
        #expect(transactions.didAppendMarker(.abort, producerId: 9, markerOffset: 0) == nil)
        #expect(transactions.aborted.isEmpty)
        #expect(transactions.lastStableOffset(highWatermark: 1) == 1)
    }

    @Test func aFetchListsTheAbortedTransactionsOverlappingItsRange() {
        var transactions = PartitionTransactions()
        for (producerId, first, marker) in [(Int64(1), Int64(0), Int64(4)), (2, 5, 9), (3, 10, 20)] {
            transactions.didAppendData(header(producerId: producerId, baseOffset: first))
            _ = transactions.didAppendMarker(.abort, producerId: producerId, markerOffset: marker)
        }
        #expect(transactions.abortedTransactions(from: 5, below: 10).map(\.producerId) == [2])
        #expect(transactions.abortedTransactions(from: 4, below: 11).map(\.producerId) == [1, 2, 3])
        #expect(transactions.abortedTransactions(from: 21, below: 30).isEmpty)
        transactions.removeAborted(below: 9)
        #expect(transactions.aborted.map(\.producerId) == [2, 3])
    }

    @Test func anIndexEntryIsKafkasThirtyFourBytes() {
        var bytes = ByteBuffer()
        AbortedTransaction(producerId: 1, firstOffset: 2, lastOffset: 3, lastStableOffset: 4).write(to: &bytes)
        #expect(bytes.readableBytes == AbortedTransaction.size)
        #expect(bytes.readInteger(as: Int16.self) == 0)
        #expect(
            [
                bytes.readInteger(as: Int64.self), bytes.readInteger(as: Int64.self), bytes.readInteger(as: Int64.self),
                bytes.readInteger(as: Int64.self),
            ] == [1, 2, 3, 4])
    }
}
