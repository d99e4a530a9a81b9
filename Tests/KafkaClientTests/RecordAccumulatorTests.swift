import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct RecordAccumulatorTests {
    typealias Accumulator = RecordAccumulator<Int>
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let orders = TopicPartition(topic: "orders", partition: 0)
    let payments = TopicPartition(topic: "payments", partition: 2)

    func accumulator(batchSize: Int = 16384, lingerMs: Int64 = 0, compression: CompressionCodec = .none) -> Accumulator {
        Accumulator(
            settings: .init(
                batchSize: batchSize, linger: .milliseconds(lingerMs), retryBackoff: .milliseconds(100),
                deliveryTimeout: .seconds(120), compression: compression))
    }

    /// Appends a record with a 20-byte value; new batches get completions 1, 2, 3, …
    @discardableResult
    func append(_ accumulator: inout Accumulator, to partition: TopicPartition? = nil, at now: NIODeadline? = nil, counter: inout Int)
        -> Accumulator.Appended
    {
        accumulator.append(
            to: partition ?? orders, timestamp: 1_700_000_000_000, key: nil, value: ByteBuffer(repeating: 7, count: 20),
            headers: [], now: now ?? start
        ) {
            counter += 1
            return counter
        }
    }

    func records(of batch: ProducerBatch<Int>) throws -> (RecordBatchHeader, [Record]) {
        var batch = batch
        let parsed = try RecordBatch(try batch.encode(), verifyingChecksum: true)
        return (parsed.header, try parsed.records())
    }

    @Test func withoutLingerTheFirstRecordIsReadyAtOnce() throws {
        var accumulator = accumulator()
        var counter = 0
        let appended = append(&accumulator, counter: &counter)
        #expect(appended.wakeSender)
        #expect(appended.relativeOffset == 0)
        let drained = accumulator.drain(now: start)
        #expect(drained.ready.count == 1)
        #expect(drained.ready.first?.recordCount == 1)
        #expect(drained.ready.first?.completion == appended.completion)
    }

    @Test func lingerCollectsRecordsIntoOneBatch() throws {
        var accumulator = accumulator(lingerMs: 5)
        var counter = 0
        let offsets = (0..<3).map { _ in append(&accumulator, counter: &counter) }
        #expect(offsets.map(\.relativeOffset) == [0, 1, 2])
        #expect(Set(offsets.map(\.completion)).count == 1)
        #expect(offsets.map(\.wakeSender) == [true, false, false])

        let early = accumulator.drain(now: start + .milliseconds(4))
        #expect(early.ready.isEmpty)
        #expect(early.nextDeadline == start + .milliseconds(5))

        let ready = try #require(accumulator.drain(now: start + .milliseconds(5)).ready.first)
        let (header, records) = try records(of: ready)
        #expect(header.recordCount == 3)
        #expect(records.map(\.offsetDelta) == [0, 1, 2])
    }

    @Test func aFullBatchIsSealedAndTheNextStarts() throws {
        var accumulator = accumulator(batchSize: 150, lingerMs: 1000)
        var counter = 0
        var appended: [Accumulator.Appended] = []
        for _ in 0..<6 { appended.append(append(&accumulator, counter: &counter)) }
        #expect(Set(appended.map(\.completion)).count > 1, "150 bytes hold fewer than 6 records of 20 bytes")
        let firstBatchSize = appended.filter { $0.completion == 1 }.count
        // The full batch is ready despite the linger; one batch per partition is in flight.
        let first = accumulator.drain(now: start)
        #expect(first.ready.map(\.completion) == [1])
        #expect(first.ready.first?.recordCount == Int32(firstBatchSize))
        #expect(accumulator.drain(now: start).ready.isEmpty)
        accumulator.completed(orders)
        accumulator.beginFlush()
        #expect(accumulator.drain(now: start).ready.map(\.completion) == [2])
    }

    @Test func partitionsDrainIndependently() {
        var accumulator = accumulator()
        var counter = 0
        append(&accumulator, to: orders, counter: &counter)
        append(&accumulator, to: payments, counter: &counter)
        let ready = accumulator.drain(now: start).ready
        #expect(Set(ready.map(\.topicPartition)) == [orders, payments])
    }

    @Test func aRetriedBatchGoesFirstAfterTheBackoff() {
        var accumulator = accumulator()
        var counter = 0
        append(&accumulator, counter: &counter)
        let failed = accumulator.drain(now: start).ready[0]
        // More records arrive while the first batch is in flight.
        append(&accumulator, counter: &counter)
        accumulator.retry(failed, now: start)

        let waiting = accumulator.drain(now: start + .milliseconds(50))
        #expect(waiting.ready.isEmpty, "the retry waits out retry_backoff_ms and nothing overtakes it")
        #expect(waiting.nextDeadline == start + .milliseconds(100))

        let retried = accumulator.drain(now: start + .milliseconds(100)).ready
        #expect(retried.map(\.completion) == [failed.completion])
        #expect(retried.first?.attempts == 1)
        accumulator.completed(orders)
        #expect(accumulator.drain(now: start + .milliseconds(100)).ready.map(\.completion) == [2])
        accumulator.completed(orders)
        #expect(accumulator.isEmpty)
    }

    @Test func idempotentBatchesCarryConsecutiveSequences() throws {
        var accumulator = accumulator(batchSize: 100)
        accumulator.producerIdentityChanged(.init(producerId: 4711, epoch: 3))
        var counter = 0
        for _ in 0..<5 { append(&accumulator, counter: &counter) }
        var sequences: [Int32] = []
        var counts: [Int32] = []
        for _ in 0..<5 {
            accumulator.beginFlush()
            guard let batch = accumulator.drain(now: start).ready.first else { break }
            accumulator.endFlush()
            let (header, _) = try records(of: batch)
            #expect(header.producerId == 4711)
            #expect(header.producerEpoch == 3)
            sequences.append(header.baseSequence)
            counts.append(header.recordCount)
            accumulator.completed(orders)
        }
        #expect(counts.reduce(0, +) == 5)
        #expect(sequences == counts.indices.map { index in counts[..<index].reduce(0, +) })
    }

    @Test func aRetriedBatchKeepsItsSequence() throws {
        var accumulator = accumulator()
        accumulator.producerIdentityChanged(.init(producerId: 1, epoch: 0))
        var counter = 0
        append(&accumulator, counter: &counter)
        var first = accumulator.drain(now: start).ready[0]
        let bytes = try first.encode()
        accumulator.retry(first, now: start)
        var retried = accumulator.drain(now: start + .seconds(1)).ready[0]
        #expect(try retried.encode() == bytes)
    }

    /// As Kafka's producer: after a sequence error the producer gets a new id, and batches it had
    /// already encoded (retries, batches put back unsent) go out under that id, numbered from 0,
    /// with a checksum that still holds.
    @Test(arguments: [CompressionCodec.none, .gzip])
    func anEncodedBatchIsNumberedAnewUnderANewProducerId(compression: CompressionCodec) throws {
        var accumulator = accumulator(compression: compression)
        accumulator.producerIdentityChanged(.init(producerId: 1, epoch: 0))
        var counter = 0
        append(&accumulator, counter: &counter)
        _ = accumulator.drain(now: start)
        accumulator.completed(orders)
        append(&accumulator, counter: &counter)
        var second = accumulator.drain(now: start).ready[0]
        let (firstHeader, _) = try records(of: second)
        #expect(firstHeader.baseSequence == 1)
        _ = try second.encode()
        accumulator.producerIdentityChanged(.init(producerId: 7, epoch: 3))
        accumulator.retry(second, now: start)
        let renumbered = accumulator.drain(now: start + .seconds(1)).ready[0]
        let (header, renumberedRecords) = try records(of: renumbered)
        #expect(header.producerId == 7)
        #expect(header.producerEpoch == 3)
        #expect(header.baseSequence == 0)
        #expect(renumberedRecords.count == 1)
        accumulator.completed(orders)
        append(&accumulator, counter: &counter)
        #expect(try records(of: accumulator.drain(now: start).ready[0]).0.baseSequence == 1)
    }

    /// Found by the load test: a batch put back because its broker had enough requests open was
    /// numbered again when drained next, so the broker saw a gap and refused the batch with
    /// OUT_OF_ORDER_SEQUENCE_NUMBER.
    @Test func aBatchPutBackUnsentKeepsItsSequence() throws {
        var accumulator = accumulator()
        accumulator.producerIdentityChanged(.init(producerId: 1, epoch: 0))
        var counter = 0
        append(&accumulator, counter: &counter)
        accumulator.requeue(accumulator.drain(now: start).ready[0])
        let requeued = accumulator.drain(now: start).ready[0]
        #expect(try records(of: requeued).0.baseSequence == 0)
        accumulator.retry(requeued, now: start)
        let retried = accumulator.drain(now: start + .seconds(1)).ready[0]
        #expect(try records(of: retried).0.baseSequence == 0, "a batch that failed before it was encoded keeps its sequence too")
        accumulator.completed(orders)
        append(&accumulator, counter: &counter)
        #expect(try records(of: accumulator.drain(now: start).ready[0]).0.baseSequence == 1)
    }

    @Test func batchesOlderThanTheDeliveryTimeoutExpire() {
        var accumulator = Accumulator(
            settings: .init(
                batchSize: 16384, linger: .seconds(60), retryBackoff: .milliseconds(100), deliveryTimeout: .milliseconds(10),
                compression: .none))
        var counter = 0
        append(&accumulator, counter: &counter)
        let drained = accumulator.drain(now: start + .milliseconds(11))
        #expect(drained.ready.isEmpty)
        #expect(drained.expired.map(\.completion) == [1])
        #expect(accumulator.isEmpty)
    }

    @Test func flushAndCloseSendWithoutLinger() {
        var accumulator = accumulator(lingerMs: 60_000)
        var counter = 0
        append(&accumulator, counter: &counter)
        #expect(accumulator.drain(now: start).ready.isEmpty)
        #expect(accumulator.incompleteCompletions == [1])
        accumulator.beginFlush()
        #expect(accumulator.drain(now: start).ready.count == 1)
        accumulator.endFlush()
        accumulator.completed(orders)

        append(&accumulator, counter: &counter)
        accumulator.close()
        #expect(accumulator.drain(now: start).ready.count == 1)
    }

    @Test func gzipBatchesDecodeToTheSameRecords() throws {
        var accumulator = accumulator(compression: .gzip)
        var counter = 0
        append(&accumulator, counter: &counter)
        let (header, records) = try records(of: accumulator.drain(now: start).ready[0])
        #expect(header.attributes.compression == .gzip)
        #expect(records.first?.value == ByteBuffer(repeating: 7, count: 20))
    }

    @Test func theSizeEstimateIsAnUpperBound() {
        var builder = RecordBatchBuilder()
        let key = ByteBuffer(string: "key")
        let value = ByteBuffer(repeating: 1, count: 300)
        let headers = [RecordHeader(key: "trace", value: ByteBuffer(string: "abc"))]
        let before = builder.uncompressedSizeInBytes
        builder.append(timestamp: 1_700_000_000_000, key: key, value: value, headers: headers)
        let actual = builder.uncompressedSizeInBytes - before
        #expect(Accumulator.estimatedSize(key: key, value: value, headers: headers) >= actual)
    }
}
