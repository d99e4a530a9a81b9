import Foundation
import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaBroker

/// The transaction APIs with hand-built requests against an in-process broker: a transaction
/// committed and one aborted, what read_committed fetches see, fencing, offsets in a
/// transaction, and the coordinator's state across a restart.
@Suite("Transaction requests", .serialized, .tags(.component))
struct TransactionRequestTests {
    struct Producer {
        var id: Int64
        var epoch: Int16
    }

    static func transactionalBatch(_ values: [String], producer: Producer, sequence: Int32) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(producerId: producer.id, producerEpoch: producer.epoch, baseSequence: sequence)
        builder.isTransactional = true
        for value in values { builder.append(timestamp: 1_700_000_000_000, key: nil, value: ByteBuffer(string: value)) }
        return try builder.build()
    }

    static func initProducer(
        _ connection: inout RawKafkaConnection, id: String = "tx", timeoutMs: Int32 = 60_000, version: Int16 = 4
    ) async throws -> (ErrorCode, Producer) {
        let response = try await connection.roundTrip(
            InitProducerIdRequest(transactionalId: id, transactionTimeoutMs: timeoutMs), version: version)
        return (ErrorCode(rawValue: response.errorCode), Producer(id: response.producerId, epoch: response.producerEpoch))
    }

    static func addPartition(
        _ connection: inout RawKafkaConnection, _ topic: String, producer: Producer, id: String = "tx", version: Int16 = 3
    ) async throws -> ErrorCode {
        let response = try await connection.roundTrip(
            AddPartitionsToTxnRequest(
                v3AndBelowTransactionalId: id, v3AndBelowProducerId: producer.id, v3AndBelowProducerEpoch: producer.epoch,
                v3AndBelowTopics: [.init(name: topic, partitions: [0])]),
            version: version)
        return ErrorCode(rawValue: response.resultsByTopicV3AndBelow.first?.resultsByPartition.first?.partitionErrorCode ?? -1)
    }

    static func produce(
        _ connection: inout RawKafkaConnection, _ topic: String, _ values: [String], producer: Producer, sequence: Int32
    ) async throws -> ErrorCode {
        let response = try await connection.roundTrip(
            ProduceRequest(
                transactionalId: "tx", acks: -1, timeoutMs: 5_000,
                topicData: [
                    .init(
                        name: topic,
                        partitionData: [.init(index: 0, records: try transactionalBatch(values, producer: producer, sequence: sequence))])
                ]),
            version: 9)
        return ErrorCode(rawValue: response.responses.first?.partitionResponses.first?.errorCode ?? -1)
    }

    static func endTransaction(
        _ connection: inout RawKafkaConnection, commit: Bool, producer: Producer, id: String = "tx"
    ) async throws -> ErrorCode {
        let response = try await connection.roundTrip(
            EndTxnRequest(transactionalId: id, producerId: producer.id, producerEpoch: producer.epoch, committed: commit), version: 3)
        return ErrorCode(rawValue: response.errorCode)
    }

    static func fetch(
        _ connection: inout RawKafkaConnection, _ topic: String, from offset: Int64, readCommitted: Bool
    ) async throws -> FetchResponse.PartitionData {
        let response = try await connection.roundTrip(
            FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: readCommitted ? 1 : 0,
                topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20)])]),
            version: 12)
        return try #require(response.responses.first?.partitions.first)
    }

    static func dataValues(_ records: ByteBuffer?) throws -> [String] {
        var view = RecordBatchView(records ?? ByteBuffer())
        var values: [String] = []
        while let entry = try view.next() {
            guard case .batch(let batch) = entry, !batch.header.attributes.isControl else { continue }
            values += try batch.records().compactMap { $0.value.map { String(buffer: $0) } }
        }
        return values
    }

    static func committedLatest(_ connection: inout RawKafkaConnection, _ topic: String) async throws -> Int64 {
        let response = try await connection.roundTrip(
            ListOffsetsRequest(
                replicaId: -1, isolationLevel: 1, topics: [.init(name: topic, partitions: [.init(partitionIndex: 0, timestamp: -1)])]),
            version: 7)
        return response.topics.first?.partitions.first?.offset ?? -1
    }

    @Test func findCoordinatorAnswersForTransactionalIds() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.roundTrip(FindCoordinatorRequest(key: "tx", keyType: 1), version: 3)
                #expect(response.errorCode == 0 && response.port == Int32(broker.port))
                #expect(broker.broker.state.topics.topic(named: "__transaction_state")?.partitions.count == 50)
            }
        }
    }

    @Test func aCommittedAndAnAbortedTransactionAsReadCommittedSeesThem() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("payments")
                let (initError, producer) = try await Self.initProducer(&connection)
                #expect(initError == .noError && producer.epoch == 0)

                #expect(try await Self.addPartition(&connection, "payments", producer: producer) == .noError)
                #expect(try await Self.produce(&connection, "payments", ["c1", "c2"], producer: producer, sequence: 0) == .noError)
                let open = try await Self.fetch(&connection, "payments", from: 0, readCommitted: true)
                #expect(open.lastStableOffset == 0 && open.highWatermark == 2)
                #expect(try Self.dataValues(open.records).isEmpty)
                let uncommitted = try await Self.fetch(&connection, "payments", from: 0, readCommitted: false)
                #expect(try Self.dataValues(uncommitted.records) == ["c1", "c2"])
                #expect(try await Self.committedLatest(&connection, "payments") == 0)

                #expect(try await Self.endTransaction(&connection, commit: true, producer: producer) == .noError)
                let committed = try await Self.fetch(&connection, "payments", from: 0, readCommitted: true)
                #expect(committed.lastStableOffset == 3 && committed.abortedTransactions == [])
                #expect(try Self.dataValues(committed.records) == ["c1", "c2"])

                #expect(try await Self.addPartition(&connection, "payments", producer: producer) == .noError)
                #expect(try await Self.produce(&connection, "payments", ["a1"], producer: producer, sequence: 2) == .noError)
                #expect(try await Self.endTransaction(&connection, commit: false, producer: producer) == .noError)
                let afterAbort = try await Self.fetch(&connection, "payments", from: 3, readCommitted: true)
                #expect(afterAbort.lastStableOffset == 5)
                #expect(afterAbort.abortedTransactions == [.init(producerId: producer.id, firstOffset: 3)])
                #expect(try await Self.committedLatest(&connection, "payments") == 5)
                // A retried EndTxn is answered as the first; the other decision is refused.
                #expect(try await Self.endTransaction(&connection, commit: false, producer: producer) == .noError)
                #expect(try await Self.endTransaction(&connection, commit: true, producer: producer) == .invalidTxnState)
            }
        }
    }

    @Test func transactionalProduceNeedsThePartitionInAnOpenTransaction() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopics(["added", "not-added"])
                let (_, producer) = try await Self.initProducer(&connection)
                #expect(try await Self.produce(&connection, "added", ["x"], producer: producer, sequence: 0) == .invalidTxnState)
                #expect(try await Self.addPartition(&connection, "added", producer: producer) == .noError)
                #expect(try await Self.produce(&connection, "not-added", ["x"], producer: producer, sequence: 0) == .invalidTxnState)
                #expect(try await Self.addPartition(&connection, "missing", producer: producer) == .unknownTopicOrPartition)
            }
        }
    }

    @Test func aNewInstanceFencesTheOldAndAbortsItsOpenTransaction() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("fenced")
                let (_, old) = try await Self.initProducer(&connection)
                #expect(try await Self.addPartition(&connection, "fenced", producer: old) == .noError)
                #expect(try await Self.produce(&connection, "fenced", ["zombie"], producer: old, sequence: 0) == .noError)

                let (busy, _) = try await Self.initProducer(&connection)
                #expect(busy == .concurrentTransactions, "the open transaction is aborted first")
                let (retried, new) = try await Self.initProducer(&connection)
                #expect(retried == .noError && new.id == old.id && new.epoch == 2)
                let fetched = try await Self.fetch(&connection, "fenced", from: 0, readCommitted: true)
                #expect(fetched.lastStableOffset == 2 && fetched.abortedTransactions == [.init(producerId: old.id, firstOffset: 0)])

                #expect(try await Self.addPartition(&connection, "fenced", producer: old, version: 3) == .producerFenced)
                #expect(try await Self.addPartition(&connection, "fenced", producer: old, version: 1) == .invalidProducerEpoch)
                #expect(try await Self.endTransaction(&connection, commit: true, producer: old) == .producerFenced)
                let (tooLong, _) = try await Self.initProducer(&connection, id: "slow", timeoutMs: 900_001)
                #expect(tooLong == .invalidTransactionTimeout)
            }
        }
    }

    @Test func offsetsCommittedInATransactionAppearOnlyWithItsCommit() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("input")
                let (_, producer) = try await Self.initProducer(&connection)
                let added = try await connection.roundTrip(
                    AddOffsetsToTxnRequest(transactionalId: "tx", producerId: producer.id, producerEpoch: producer.epoch, groupId: "etl"),
                    version: 3)
                #expect(added.errorCode == 0)
                let committed = try await connection.roundTrip(
                    TxnOffsetCommitRequest(
                        transactionalId: "tx", groupId: "etl", producerId: producer.id, producerEpoch: producer.epoch,
                        topics: [.init(name: "input", partitions: [.init(partitionIndex: 0, committedOffset: 42)])]),
                    version: 3)
                #expect(committed.topics.first?.partitions.first?.errorCode == 0)

                func fetchOffset(_ connection: inout RawKafkaConnection) async throws -> (Int16, Int64) {
                    let response = try await connection.roundTrip(
                        OffsetFetchRequest(groupId: "etl", topics: [.init(name: "input", partitionIndexes: [0])], requireStable: true),
                        version: 7)
                    let partition = try #require(response.topics.first?.partitions.first)
                    return (partition.errorCode, partition.committedOffset)
                }
                #expect(try await fetchOffset(&connection) == (ErrorCode.unstableOffsetCommit.rawValue, -1))
                #expect(try await Self.endTransaction(&connection, commit: true, producer: producer) == .noError)
                #expect(try await fetchOffset(&connection) == (0, 42))
            }
        }
    }

    @Test func describeAndListTransactionsShowTheCoordinatorsState() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("listed")
                let (_, producer) = try await Self.initProducer(&connection)
                _ = try await Self.initProducer(&connection, id: "idle")
                #expect(try await Self.addPartition(&connection, "listed", producer: producer) == .noError)

                let described = try await connection.roundTrip(
                    DescribeTransactionsRequest(transactionalIds: ["tx", "unknown"]), version: 0)
                let open = try #require(described.transactionStates.first)
                #expect((open.transactionState, open.producerId, open.transactionTimeoutMs) == ("Ongoing", producer.id, 60_000))
                #expect(open.topics == [.init(topic: "listed", partitions: [0])] && open.transactionStartTimeMs > 0)
                #expect(described.transactionStates.last?.errorCode == ErrorCode.transactionalIdNotFound.rawValue)

                let all = try await connection.roundTrip(ListTransactionsRequest(), version: 1)
                #expect(Set(all.transactionStates.map(\.transactionalId)) == ["tx", "idle"])
                let ongoing = try await connection.roundTrip(
                    ListTransactionsRequest(stateFilters: ["Ongoing", "Bogus"]), version: 0)
                #expect(ongoing.transactionStates.map(\.transactionalId) == ["tx"] && ongoing.unknownStateFilters == ["Bogus"])
            }
        }
    }

    @Test func theCoordinatorsStateAndCommittedTransactionalOffsetsSurviveARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-txn-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("kept")
                let (_, producer) = try await Self.initProducer(&connection)
                _ = try await connection.roundTrip(
                    AddOffsetsToTxnRequest(transactionalId: "tx", producerId: producer.id, producerEpoch: producer.epoch, groupId: "etl"),
                    version: 0)
                _ = try await connection.roundTrip(
                    TxnOffsetCommitRequest(
                        transactionalId: "tx", groupId: "etl", producerId: producer.id, producerEpoch: producer.epoch,
                        topics: [.init(name: "kept", partitions: [.init(partitionIndex: 0, committedOffset: 7)])]),
                    version: 0)
                #expect(try await Self.endTransaction(&connection, commit: true, producer: producer) == .noError)
                #expect(try await Self.addPartition(&connection, "kept", producer: producer) == .noError)
                #expect(try await Self.produce(&connection, "kept", ["open"], producer: producer, sequence: 0) == .noError)
                return producer
            }
        }
        try await InProcessBroker.with(dataDirectory: folder) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.roundTrip(
                    OffsetFetchRequest(groupId: "etl", topics: [.init(name: "kept", partitionIndexes: [0])]), version: 7)
                #expect(response.topics.first?.partitions.first?.committedOffset == 7)
                #expect(try await Self.fetch(&connection, "kept", from: 0, readCommitted: true).lastStableOffset == 0)
                // The restarted coordinator still knows the producer: a new instance aborts its transaction.
                let (busy, _) = try await Self.initProducer(&connection)
                #expect(busy == .concurrentTransactions)
                let (_, again) = try await Self.initProducer(&connection)
                #expect(again.id == first.id && again.epoch == first.epoch + 2)
                #expect(try await Self.fetch(&connection, "kept", from: 0, readCommitted: true).lastStableOffset == 2)
            }
        }
    }
}
