import KafkaProtocol
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaBroker

@Suite("Transaction coordinator state machine", .tags(.pure))
struct TransactionStateMachineTests {
    let orders = TopicPartition(topic: "orders", partition: 0)
    let offsets = TopicPartition(topic: "__consumer_offsets", partition: 3)

    /// A coordinator whose producer ids count up from 1000.
    struct Harness {
        var machine = TransactionStateMachine(maxTimeoutMs: 60_000)
        var nextProducerId: Int64 = 1_000

        mutating func initProducer(
            _ id: String = "tx", timeoutMs: Int32 = 10_000, expected: (Int64, Int16)? = nil, nowMs: Int64 = 0
        ) throws -> TransactionStateMachine.InitOutcome {
            var next = nextProducerId
            defer { nextProducerId = next }
            return try machine.initProducerId(
                transactionalId: id, timeoutMs: timeoutMs, expected: expected.map { ($0.0, $0.1) }, nowMs: nowMs,
                allocateProducerId: {
                    defer { next += 1 }
                    return next
                })
        }

        mutating func ready(_ id: String = "tx", nowMs: Int64 = 0) throws -> TransactionMetadata {
            guard case .ready(let metadata) = try initProducer(id, nowMs: nowMs) else {
                throw TransactionFailure(.unknownServerError)
            }
            return metadata
        }
    }

    func failure(_ body: () throws -> Void) -> ErrorCode? {
        do {
            try body()
            return nil
        } catch let failure as TransactionFailure {
            return failure.code
        } catch {
            return .unknownServerError
        }
    }

    @Test func initGivesANewIdAndEachLaterInitBumpsTheEpoch() throws {
        var h = Harness()
        let first = try h.ready()
        #expect((first.producerId, first.producerEpoch, first.state) == (1_000, 0, .empty))
        let second = try h.ready()
        #expect((second.producerId, second.producerEpoch) == (1_000, 1))
        #expect(try h.ready("other").producerId == 1_001)
    }

    @Test func aTimeoutAboveTheMaximumIsRefused() {
        var h = Harness()
        #expect(failure { _ = try h.initProducer(timeoutMs: 60_001) } == .invalidTransactionTimeout)
        #expect(failure { _ = try h.initProducer(timeoutMs: 0) } == .invalidTransactionTimeout)
    }

    @Test func aCommitMovesThroughPrepareToComplete() throws {
        var h = Harness()
        let producer = try h.ready()
        let ongoing = try h.machine.addPartitions(
            transactionalId: "tx", producerId: producer.producerId, producerEpoch: 0, [orders], nowMs: 5)
        #expect((ongoing.state, ongoing.partitions, ongoing.startTimestampMs) == (.ongoing, [orders], 5))
        let added = try h.machine.addPartitions(
            transactionalId: "tx", producerId: producer.producerId, producerEpoch: 0, [offsets], nowMs: 6)
        #expect(added.partitions == [orders, offsets] && added.startTimestampMs == 5)
        #expect(h.machine.checkProduce(producerId: 1_000, producerEpoch: 0, partition: orders) == nil)

        let end = try h.machine.endTransaction(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, commit: true, nowMs: 7)
        guard case .writeMarkers(let preparing) = end else {
            Issue.record("expected markers to write, got \(end)")
            return
        }
        #expect(preparing.state == .prepareCommit && preparing.partitions == [orders, offsets])
        #expect(failure { _ = try h.initProducer() } == .concurrentTransactions)
        let completed = h.machine.completeMarkers(transactionalId: "tx", nowMs: 8)
        let complete = try #require(completed)
        #expect((complete.state, complete.partitions) == (.completeCommit, []))
        // A retried EndTxn succeeds; the opposite decision does not.
        #expect(
            try h.machine.endTransaction(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, commit: true, nowMs: 9)
                == .alreadyComplete)
        #expect(
            failure {
                _ = try h.machine.endTransaction(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, commit: false, nowMs: 9)
            } == .invalidTxnState)
    }

    @Test func aNewInstanceFencesTheOldOneAndAbortsItsOpenTransaction() throws {
        var h = Harness()
        _ = try h.ready()
        _ = try h.machine.addPartitions(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, [orders], nowMs: 1)
        let outcome = try h.initProducer()
        guard case .abortFirst(let aborting) = outcome else {
            Issue.record("expected the open transaction to be aborted first, got \(outcome)")
            return
        }
        #expect((aborting.producerEpoch, aborting.state, aborting.partitions) == (1, .prepareAbort, [orders]))
        _ = h.machine.completeMarkers(transactionalId: "tx", nowMs: 2)
        let ready = try h.ready()
        #expect(ready.producerEpoch == 2)

        #expect(
            failure { _ = try h.machine.addPartitions(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, [orders], nowMs: 3) }
                == .producerFenced)
        #expect(h.machine.checkProduce(producerId: 1_000, producerEpoch: 0, partition: orders) == .invalidProducerEpoch)
        #expect(
            failure { _ = try h.machine.endTransaction(transactionalId: "tx", producerId: 7, producerEpoch: 2, commit: true, nowMs: 3) }
                == .invalidProducerIdMapping)
    }

    @Test func aProducerWithStaleIdAndEpochIsFencedAtInit() throws {
        var h = Harness()
        _ = try h.ready()
        _ = try h.ready()
        _ = try h.ready()
        #expect(failure { _ = try h.initProducer(expected: (1_000, 0)) } == .producerFenced)
        #expect(failure { _ = try h.initProducer(expected: (999, 2)) } == .producerFenced)
        guard case .ready(let bumped) = try h.initProducer(expected: (1_000, 2)) else {
            Issue.record("the current producer may bump its epoch")
            return
        }
        #expect(bumped.producerEpoch == 3)
    }

    @Test func anExhaustedEpochGetsANewProducerId() throws {
        var h = Harness()
        _ = try h.ready()
        var metadata = try #require(h.machine.transactions["tx"])
        metadata.producerEpoch = Int16.max - 1
        h.machine = TransactionStateMachine(maxTimeoutMs: 60_000, replayed: [metadata])
        let renewed = try h.ready()
        #expect((renewed.producerId, renewed.producerEpoch) == (1_001, 0))
    }

    @Test func produceNeedsAnOngoingTransactionHoldingThePartition() throws {
        var h = Harness()
        _ = try h.ready()
        #expect(h.machine.checkProduce(producerId: 1_000, producerEpoch: 0, partition: orders) == .invalidTxnState)
        #expect(h.machine.checkProduce(producerId: 5, producerEpoch: 0, partition: orders) == .invalidProducerIdMapping)
        _ = try h.machine.addPartitions(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, [orders], nowMs: 0)
        #expect(h.machine.checkProduce(producerId: 1_000, producerEpoch: 0, partition: offsets) == .invalidTxnState)
    }

    @Test func anExpiredTransactionIsAbortedUnderABumpedEpoch() throws {
        var h = Harness()
        _ = try h.ready()
        _ = try h.machine.addPartitions(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, [orders], nowMs: 100)
        #expect(h.machine.expireTimedOut(nowMs: 10_100).isEmpty)
        let expired = h.machine.expireTimedOut(nowMs: 10_101)
        #expect(expired.map(\.state) == [.prepareAbort] && expired.map(\.producerEpoch) == [1])
        _ = h.machine.completeMarkers(transactionalId: "tx", nowMs: 10_102)
        #expect(
            failure {
                _ = try h.machine.endTransaction(transactionalId: "tx", producerId: 1_000, producerEpoch: 0, commit: true, nowMs: 10_103)
            } == .producerFenced)
    }

    @Test func idleIdsExpireButOpenTransactionsDoNot() throws {
        var h = Harness()
        _ = try h.ready("idle", nowMs: 0)
        _ = try h.ready("busy", nowMs: 0)
        _ = try h.machine.addPartitions(transactionalId: "busy", producerId: 1_001, producerEpoch: 0, [orders], nowMs: 0)
        #expect(h.machine.expireIdle(nowMs: 1_000, expirationMs: 500) == ["idle"])
        #expect(h.machine.transactions.keys.sorted() == ["busy"])
    }

    @Test func aRecordRoundTripsThroughKafkasLayout() throws {
        let metadata = TransactionMetadata(
            transactionalId: "tx", producerId: 1_000, producerEpoch: 3, timeoutMs: 60_000, state: .ongoing,
            partitions: [orders, offsets, TopicPartition(topic: "orders", partition: 2)], startTimestampMs: 10,
            lastUpdateTimestampMs: 20)
        let record = TransactionLogRecord(transactionalId: "tx", metadata: metadata)
        #expect(Array(record.key.readableBytesView) == [0, 0, 0, 2, 0x74, 0x78])
        let decoded = try #require(try TransactionLogRecord(key: record.key, value: record.value))
        #expect(decoded == record)
        let tombstone = try #require(try TransactionLogRecord(key: record.key, value: nil))
        #expect(tombstone.metadata == nil)
    }
}
