import KafkaClient
import KafkaProtocol
import KafkaRecords
import NIOConcurrencyHelpers
import SamsaTestSupport
import Testing

/// Retries against a scripted broker: the first Produce is refused with `firstError`.
@Suite(.timeLimit(.minutes(1)), .tags(.component))
struct ProducerRetryTests {
    struct Received: Sendable {
        var metadataRequests = 0
        /// (baseSequence, recordCount, producerId) of every batch, in arrival order.
        var batches: [(sequence: Int32, count: Int32, producerId: Int64)] = []
        var nextOffset: Int64 = 0
    }

    static func scriptedBroker(_ received: NIOLockedValueBox<Received>, firstError: ErrorCode = .notLeaderOrFollower) async throws
        -> FakeBroker
    {
        try await FakeBroker { request, port in
            switch request.apiKey {
            case .metadata:
                received.withLockedValue { $0.metadataRequests += 1 }
                return .respond(
                    MetadataResponse(
                        brokers: [.init(nodeId: 1, host: "127.0.0.1", port: Int32(port))], controllerId: 1,
                        topics: [
                            .init(name: "orders", partitions: [.init(partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1])])
                        ]))
            case .initProducerId:
                return .respond(InitProducerIdResponse(producerId: 42, producerEpoch: 0))
            case .produce:
                guard let produce = try? request.decodeBody(ProduceRequest.self),
                    let records = produce.topicData.first?.partitionData.first?.records,
                    let header = try? RecordBatchHeader(parsing: records)
                else { return .close }
                let (isFirst, offset) = received.withLockedValue { state -> (Bool, Int64) in
                    state.batches.append((header.baseSequence, header.recordCount, header.producerId))
                    guard state.batches.count > 1 else { return (true, -1) }
                    defer { state.nextOffset += Int64(header.recordCount) }
                    return (false, state.nextOffset)
                }
                let partition = ProduceResponse.PartitionProduceResponse(
                    index: 0, errorCode: isFirst ? firstError.rawValue : 0, baseOffset: offset)
                return .respond(ProduceResponse(responses: [.init(name: "orders", partitionResponses: [partition])]))
            default:
                return .close
            }
        }
    }

    @Test func aRefusedBatchIsRetriedWithItsSequenceBeforeLaterRecordsAfterAMetadataRefresh() async throws {
        let received = NIOLockedValueBox(Received())
        let broker = try await Self.scriptedBroker(received)
        var configuration = KafkaProducerConfiguration(bootstrapServers: [broker.address])
        configuration.retryBackoffMs = 50
        configuration.requestTimeoutMs = 5000
        let producer = try KafkaProducer(configuration: configuration)
        var futures: [FutureRecordMetadata] = []
        for index in 0..<5 { futures.append(try await producer.enqueue(topic: "orders", value: "record \(index)")) }
        var offsets: [Int64] = []
        for future in futures { offsets.append(try await future.get().offset) }
        await producer.close()
        await broker.close()

        #expect(offsets == [0, 1, 2, 3, 4], "retries keep the order")
        let state = received.withLockedValue { $0 }
        #expect(state.batches.first?.sequence == 0)
        #expect(state.batches.dropFirst().first?.sequence == 0, "the retry carries the same sequence")
        #expect(state.batches.allSatisfy { $0.producerId == 42 })
        let accepted = state.batches.dropFirst()
        #expect(
            accepted.map(\.sequence) == accepted.indices.map { index in accepted[accepted.startIndex..<index].reduce(0) { $0 + $1.count } })
        #expect(state.metadataRequests >= 2, "NOT_LEADER_OR_FOLLOWER refreshes the metadata")
    }

    @Test func aNonRetriableErrorFailsTheRecordWithItsKafkaCode() async throws {
        let received = NIOLockedValueBox(Received())
        let broker = try await Self.scriptedBroker(received, firstError: .messageTooLarge)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: [broker.address]))
        let error = try await #require(throws: KafkaError.self) { try await producer.send(topic: "orders", value: "x") }
        #expect(error.errorCode == .messageTooLarge)
        #expect(error.message.contains("orders-0"))
        #expect(received.withLockedValue { $0.batches.count } == 1, "not retried")
        await producer.close()
        await broker.close()
    }
}
