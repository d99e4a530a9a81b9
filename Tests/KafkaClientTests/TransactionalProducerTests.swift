import KafkaClient
import KafkaProtocol
import KafkaRecords
import NIOConcurrencyHelpers
import SamsaTestSupport
import Testing

/// The transactional producer's requests against a scripted broker: each coordinator request is
/// first refused with a retriable error, which the producer must ride out.
@Suite(.timeLimit(.minutes(1)), .tags(.component))
struct TransactionalProducerTests {
    /// What the broker saw, in arrival order: "FindCoordinator(1)", "InitProducerId", …
    typealias Received = NIOLockedValueBox<[String]>

    static func scriptedBroker(_ received: Received, fenceProduce: Bool = false) async throws -> FakeBroker {
        let refusedOnce = NIOLockedValueBox(Set<ApiKey>())
        /// The error of the first request of `apiKey`, none after.
        @Sendable func firstTime(_ apiKey: ApiKey, _ code: ErrorCode) -> Int16 {
            refusedOnce.withLockedValue { $0.insert(apiKey).inserted } ? code.rawValue : 0
        }
        return try await FakeBroker { request, port in
            switch request.apiKey {
            case .metadata:
                return .respond(
                    MetadataResponse(
                        brokers: [.init(nodeId: 1, host: "127.0.0.1", port: Int32(port))], controllerId: 1,
                        topics: [
                            .init(name: "orders", partitions: [.init(partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1])])
                        ]))
            case .findCoordinator:
                guard let find = try? request.decodeBody(FindCoordinatorRequest.self) else { return .close }
                received.withLockedValue { $0.append("FindCoordinator(\(find.keyType))") }
                let code = firstTime(.findCoordinator, .coordinatorNotAvailable)
                return .respond(
                    FindCoordinatorResponse(
                        errorCode: code, nodeId: 1, host: "127.0.0.1", port: Int32(port),
                        coordinators: find.coordinatorKeys.map {
                            .init(key: $0, nodeId: 1, host: "127.0.0.1", port: Int32(port), errorCode: code)
                        }))
            case .initProducerId:
                guard let initialize = try? request.decodeBody(InitProducerIdRequest.self) else { return .close }
                received.withLockedValue { $0.append("InitProducerId(\(initialize.transactionalId ?? "-"))") }
                return .respond(
                    InitProducerIdResponse(
                        errorCode: firstTime(.initProducerId, .coordinatorLoadInProgress), producerId: 42, producerEpoch: 3))
            case .addPartitionsToTxn:
                guard let add = try? request.decodeBody(AddPartitionsToTxnRequest.self) else { return .close }
                received.withLockedValue { $0.append("AddPartitionsToTxn(\(add.v3AndBelowTopics.map(\.name)))") }
                let code = firstTime(.addPartitionsToTxn, .concurrentTransactions)
                return .respond(
                    AddPartitionsToTxnResponse(
                        resultsByTopicV3AndBelow: add.v3AndBelowTopics.map { topic in
                            .init(
                                name: topic.name,
                                resultsByPartition: topic.partitions.map { .init(partitionIndex: $0, partitionErrorCode: code) })
                        }))
            case .produce:
                guard let produce = try? request.decodeBody(ProduceRequest.self),
                    let records = produce.topicData.first?.partitionData.first?.records,
                    let header = try? RecordBatchHeader(parsing: records)
                else { return .close }
                received.withLockedValue {
                    $0.append(
                        "Produce(\(produce.transactionalId ?? "-"), transactional: \(header.attributes.isTransactional), epoch \(header.producerEpoch))"
                    )
                }
                let code = fenceProduce ? ErrorCode.producerFenced.rawValue : 0
                return .respond(
                    ProduceResponse(responses: [
                        .init(name: "orders", partitionResponses: [.init(index: 0, errorCode: code, baseOffset: 0)])
                    ]))
            case .endTxn:
                guard let end = try? request.decodeBody(EndTxnRequest.self) else { return .close }
                received.withLockedValue { $0.append("EndTxn(\(end.committed ? "commit" : "abort"))") }
                return .respond(EndTxnResponse(errorCode: firstTime(.endTxn, .notCoordinator)))
            default:
                return .close
            }
        }
    }

    func producer(_ broker: FakeBroker) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [broker.address])
        configuration.transactionalId = "copier"
        configuration.retryBackoffMs = 10
        configuration.requestTimeoutMs = 5000
        configuration.maxBlockMs = 5000
        return try KafkaProducer(configuration: configuration)
    }

    @Test func aTransactionRidesOutRetriableCoordinatorErrorsAndAddsThePartitionBeforeSending() async throws {
        let received = Received([])
        let broker = try await Self.scriptedBroker(received)
        let producer = try producer(broker)
        try await producer.initTransactions()
        try await producer.beginTransaction()
        _ = try await producer.enqueue(topic: "orders", value: "first", partition: 0)
        _ = try await producer.enqueue(topic: "orders", value: "second", partition: 0)
        try await producer.commitTransaction()
        await producer.close()
        await broker.close()

        let requests = received.withLockedValue { $0 }
        let produced = "Produce(copier, transactional: true, epoch 3)"
        // The two records may share a batch or not, so Produce requests are checked apart.
        #expect(
            requests.filter { !$0.hasPrefix("FindCoordinator") && !$0.hasPrefix("Produce") } == [
                "InitProducerId(copier)", "InitProducerId(copier)",
                "AddPartitionsToTxn([\"orders\"])", "AddPartitionsToTxn([\"orders\"])",
                "EndTxn(commit)", "EndTxn(commit)",
            ], "each refused request is sent again, and the partition joins once")
        let firstProduce = try #require(requests.firstIndex(where: { $0.hasPrefix("Produce") }))
        #expect(requests.allSatisfy { !$0.hasPrefix("Produce") || $0 == produced }, "transactional batches of the transactional id")
        #expect(requests.lastIndex(where: { $0.hasPrefix("AddPartitionsToTxn") })! < firstProduce, "the partition joins before its records")
        #expect(
            requests.lastIndex(where: { $0.hasPrefix("Produce") })! < requests.firstIndex(where: { $0.hasPrefix("EndTxn") })!,
            "flushed before EndTxn")
        #expect(
            requests.filter { $0.hasPrefix("FindCoordinator") } == Array(repeating: "FindCoordinator(1)", count: 3),
            "looked up with key type TRANSACTION, again after COORDINATOR_NOT_AVAILABLE and NOT_COORDINATOR")
    }

    @Test func aFencedProduceEndsTheProducer() async throws {
        let received = Received([])
        let broker = try await Self.scriptedBroker(received, fenceProduce: true)
        let producer = try producer(broker)
        try await producer.initTransactions()
        try await producer.beginTransaction()
        _ = try await producer.enqueue(topic: "orders", value: "first", partition: 0)
        let commit = try await #require(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commit.errorCode == .producerFenced)
        let abort = try await #require(throws: KafkaError.self) { try await producer.abortTransaction() }
        #expect(abort.errorCode == .producerFenced, "a fenced producer cannot even abort")
        await producer.close()
        await broker.close()
        #expect(!received.withLockedValue { $0 }.contains { $0.hasPrefix("EndTxn") })
    }

    @Test func sendingOutsideATransactionIsRefused() async throws {
        let received = Received([])
        let broker = try await Self.scriptedBroker(received)
        let producer = try producer(broker)
        let beforeInit = try await #require(throws: KafkaError.self) { try await producer.beginTransaction() }
        #expect(beforeInit.code == .illegalState)
        try await producer.initTransactions()
        let outside = try await #require(throws: KafkaError.self) { _ = try await producer.enqueue(topic: "orders", value: "x") }
        #expect(outside.code == .illegalState)
        await producer.close()
        await broker.close()
    }

    @Test func aTransactionalIdNeedsIdempotence() {
        var configuration = KafkaProducerConfiguration()
        configuration.transactionalId = "copier"
        configuration.enableIdempotence = false
        let error = #expect(throws: KafkaError.self) { _ = try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
    }
}
