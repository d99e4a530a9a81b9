import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaBroker

/// What the broker answers to hand-built requests: Kafka's error codes for bad input, closed
/// connections where Kafka closes them, and the protocol details clients depend on.
@Suite("Broker requests", .serialized, .tags(.component))
struct BrokerRequestTests {
    static func batch(
        _ values: [String], compression: CompressionCodec = .none, producerId: Int64 = -1, epoch: Int16 = -1, sequence: Int32 = -1
    ) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(compression: compression, producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
        for value in values {
            builder.append(timestamp: 1_700_000_000_000, key: nil, value: ByteBuffer(string: value))
        }
        return try builder.build()
    }

    static func produce(_ topic: String, _ records: ByteBuffer, acks: Int16 = 1, partition: Int32 = 0) -> ProduceRequest {
        ProduceRequest(
            acks: acks, timeoutMs: 5_000,
            topicData: [.init(name: topic, partitionData: [.init(index: partition, records: records)])])
    }

    static func produceError(_ response: ProduceResponse) -> ErrorCode? {
        response.responses.first?.partitionResponses.first.map { ErrorCode(rawValue: $0.errorCode) }
    }

    /// What a Kafka 3.9 broker advertises as the maximum of each API Samsa implements, by API key.
    static let kafka39MaximumVersions: [Int16: Int16] = [
        0: 11, 1: 17, 2: 9, 3: 12, 8: 9, 9: 9, 10: 6, 11: 9, 12: 4, 13: 5, 14: 5, 15: 5, 16: 5, 17: 1, 18: 4, 19: 7, 20: 6,
        21: 2, 22: 5, 24: 5, 25: 4, 26: 4, 28: 4, 29: 3, 30: 3, 31: 3, 32: 4, 33: 2, 35: 4, 36: 2, 37: 3, 42: 2, 44: 1, 47: 0,
        50: 0, 51: 0, 60: 1, 65: 0, 66: 1,
    ]

    @Test func apiVersionsAdvertisesExactlyTheImplementedApis() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.roundTrip(ApiVersionsRequest(), version: 0)
                let ranges = Dictionary(uniqueKeysWithValues: response.apiKeys.map { ($0.apiKey, $0.minVersion...$0.maxVersion) })
                #expect(ranges[ApiKey.produce.rawValue] == 0...11)
                #expect(ranges[ApiKey.fetch.rawValue] == 4...17)
                #expect(ranges[ApiKey.listOffsets.rawValue] == 1...9)
                #expect(ranges[ApiKey.metadata.rawValue] == 0...12)
                #expect(ranges[ApiKey.apiVersions.rawValue] == 0...4)
                #expect(ranges[ApiKey.offsetCommit.rawValue] == 2...9)
                #expect(ranges[ApiKey.joinGroup.rawValue] == 0...9)
                #expect(ranges[ApiKey.endTxn.rawValue] == 0...4)
                // Kafka's v4+ is the brokers' own batched verification (KIP-890); clients send 0-3.
                #expect(ranges[ApiKey.addPartitionsToTxn.rawValue] == 0...3)
                for (key, kafkaMaximum) in Self.kafka39MaximumVersions where key != ApiKey.addPartitionsToTxn.rawValue {
                    #expect(ranges[key]?.upperBound == kafkaMaximum, "API \(key) advertises Kafka 3.9's maximum")
                }
                // As in Kafka, on every listener; a PLAINTEXT one answers them with ILLEGAL_SASL_STATE.
                #expect(ranges[ApiKey.saslHandshake.rawValue] == 0...1)
                #expect(ranges[ApiKey.saslAuthenticate.rawValue] == 0...2)
                #expect(ranges[ApiKey.describeUserScramCredentials.rawValue] == 0...0)
                #expect(ranges[ApiKey.alterUserScramCredentials.rawValue] == 0...0)
            }
        }
    }

    @Test func tooNewApiVersionsGetsErrorThirtyFiveInTheV0Layout() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                var frame = ByteBuffer()
                frame.writeInteger(Int32(0))
                RequestHeader(requestApiKey: 18, requestApiVersion: 9, correlationId: 7, clientId: "x").encode(into: &frame, version: 2)
                frame.writeBytes([0, 0, 0])
                frame.setInteger(Int32(frame.readableBytes - 4), at: 0)
                try await connection.sendBytes(frame)
                let answer = try #require(try await connection.receiveFrame())
                let (correlationId, response) = try KafkaMessageCodec.decodeResponse(ApiVersionsResponse.self, frame: answer, version: 0)
                #expect(correlationId == 7)
                #expect(response.errorCode == ErrorCode.unsupportedVersion.rawValue)
                #expect(response.apiKeys.contains { $0.apiKey == 18 && $0.maxVersion == 4 })
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                // kafka-python 2.0.2's version probe: ApiVersions v0 and Metadata v0 back to back.
                try await connection.send(ApiVersionsRequest(), version: 0, correlationId: 1)
                try await connection.send(MetadataRequest(topics: []), version: 0, correlationId: 2)
                try await connection.send(ApiVersionsRequest(), version: 3, correlationId: 3)
                #expect(try await connection.receive(ApiVersionsResponse.self, version: 0).0 == 1)
                let (metadataId, metadata) = try await connection.receive(MetadataResponse.self, version: 0)
                #expect(metadataId == 2)
                #expect(metadata.brokers.first?.port == Int32(broker.port))
                #expect(try await connection.receive(ApiVersionsResponse.self, version: 3).0 == 3)
            }
        }
    }

    @Test func corruptBatchesTooLargeBatchesAndUnknownCodecsAreRefused() async throws {
        try await InProcessBroker.with(settings: ["message.max.bytes": "2000"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("checked")

                var corrupt = try Self.batch(["a", "b"])
                corrupt.setInteger(UInt8(0xFF), at: corrupt.writerIndex - 1)
                let corruptResponse = try await connection.roundTrip(Self.produce("checked", corrupt), version: 9)
                #expect(Self.produceError(corruptResponse) == .corruptMessage)

                let large = try Self.batch([String(repeating: "x", count: 3_000)])
                #expect(Self.produceError(try await connection.roundTrip(Self.produce("checked", large), version: 9)) == .messageTooLarge)

                // Codec 5: Kafka defines none, so no client can mean anything by it.
                var undefinedCodec = try Self.batch(["c"])
                let attributesIndex = undefinedCodec.readerIndex + 21
                undefinedCodec.setInteger(Int16(5), at: attributesIndex)
                let crc = CRC32C.checksum(undefinedCodec.getSlice(at: attributesIndex, length: undefinedCodec.readableBytes - 21)!)
                undefinedCodec.setInteger(crc, at: undefinedCodec.readerIndex + 17)
                let undefinedResponse = try await connection.roundTrip(Self.produce("checked", undefinedCodec), version: 9)
                #expect(Self.produceError(undefinedResponse) == .unsupportedCompressionType)

                let good = try await connection.roundTrip(Self.produce("checked", try Self.batch(["ok"])), version: 9)
                #expect(Self.produceError(good) == .noError)
                #expect(good.responses.first?.partitionResponses.first?.baseOffset == 0, "refused batches took no offsets")
            }
        }
    }

    @Test func unknownTopicsWithAutoCreateOffAndIllegalNames() async throws {
        try await InProcessBroker.with(settings: ["auto.create.topics.enable": "false"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let metadata = try await connection.roundTrip(
                    MetadataRequest(topics: [.init(name: "missing"), .init(name: "bad/name")], allowAutoTopicCreation: true), version: 9)
                #expect(
                    metadata.topics.map(\.errorCode) == [
                        ErrorCode.unknownTopicOrPartition.rawValue, ErrorCode.invalidTopicException.rawValue,
                    ])
                let produced = try await connection.roundTrip(Self.produce("missing", try Self.batch(["a"])), version: 7)
                #expect(Self.produceError(produced) == .unknownTopicOrPartition)
                let toInternalTopic = try await connection.roundTrip(Self.produce("__consumer_offsets", try Self.batch(["a"])), version: 7)
                #expect(Self.produceError(toInternalTopic) == .invalidTopicException, "clients cannot write to internal topics")
            }
        }
    }

    @Test func acksAllNeedsMinInsyncReplicasThatOneBrokerHas() async throws {
        try await InProcessBroker.with(settings: ["min.insync.replicas": "2"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("replicated")
                let all = try await connection.roundTrip(Self.produce("replicated", try Self.batch(["a"]), acks: -1), version: 9)
                #expect(Self.produceError(all) == .notEnoughReplicas)
                let one = try await connection.roundTrip(Self.produce("replicated", try Self.batch(["a"]), acks: 1), version: 9)
                #expect(Self.produceError(one) == .noError)
            }
        }
    }

    @Test func aFailedAcksZeroProduceClosesTheConnection() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("quiet")
                try await connection.send(Self.produce("quiet", try Self.batch(["fine"]), acks: 0), version: 9, correlationId: 1)
                try await connection.send(ApiVersionsRequest(), version: 0, correlationId: 2)
                #expect(try await connection.receive(ApiVersionsResponse.self, version: 0).0 == 2, "acks=0 gets no response")
                try await connection.send(Self.produce("quiet", try Self.batch(["x"]), acks: 0, partition: 7), version: 9)
                #expect(try await connection.receiveFrame() == nil, "closed: the client's only signal")
            }
        }
    }

    @Test func oversizedFramesAndUnknownApisCloseTheConnectionButNotTheBroker() async throws {
        try await InProcessBroker.with(settings: ["socket.request.max.bytes": "1000"]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                var claim = ByteBuffer()
                claim.writeInteger(Int32.max)
                try await connection.sendBytes(claim)
                #expect(try await connection.receiveFrame() == nil)
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                var frame = ByteBuffer()
                frame.writeInteger(Int32(0))
                RequestHeader(requestApiKey: 999, requestApiVersion: 0, correlationId: 1, clientId: nil).encode(into: &frame, version: 1)
                frame.setInteger(Int32(frame.readableBytes - 4), at: 0)
                try await connection.sendBytes(frame)
                #expect(try await connection.receiveFrame() == nil)
            }
            try await RawKafkaConnection.with(port: broker.port) { connection in
                let response = try await connection.roundTrip(ApiVersionsRequest(), version: 0)
                #expect(response.errorCode == 0, "the broker still serves new connections")
            }
        }
    }

    @Test func aParkedFetchIsWokenByTheAppend() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("waiting")
            }
            let started = ContinuousClock.now
            async let fetched: FetchResponse = RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.roundTrip(
                    FetchRequest(
                        maxWaitMs: 20_000, minBytes: 1, maxBytes: 1 << 20,
                        topics: [.init(topic: "waiting", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
                    version: 12)
            }
            // Appending before the fetch parks would prove nothing: it would find the record on its first read.
            try #require(try await waitUntil(timeout: .seconds(10)) { broker.broker.parkedFetchCount == 1 }, "the fetch parks")
            try await RawKafkaConnection.with(port: broker.port) { connection in
                _ = try await connection.roundTrip(Self.produce("waiting", try Self.batch(["wake up"])), version: 9)
            }
            let response = try await fetched
            let partition = try #require(response.responses.first?.partitions.first)
            #expect(partition.highWatermark == 1)
            #expect(partition.lastStableOffset == 1)
            #expect(partition.logStartOffset == 0)
            #expect((partition.records?.readableBytes ?? 0) > 0)
            #expect(ContinuousClock.now - started < .seconds(10), "answered by the append, not by max_wait_ms")
            #expect(broker.broker.parkedFetchCount == 0)
        }
    }

    @Test func aRetriedIdempotentBatchIsStoredOnce() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("idempotent")
                let producer = try await connection.roundTrip(
                    InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: -1), version: 4)
                #expect(producer.errorCode == 0)
                let batch = try Self.batch(["once"], producerId: producer.producerId, epoch: producer.producerEpoch, sequence: 0)
                let first = try await connection.roundTrip(Self.produce("idempotent", batch, acks: -1), version: 9)
                let retry = try await connection.roundTrip(Self.produce("idempotent", batch, acks: -1), version: 9)
                #expect(Self.produceError(retry) == .noError)
                #expect(
                    retry.responses.first?.partitionResponses.first?.baseOffset
                        == first.responses.first?.partitionResponses.first?.baseOffset)
                let offsets = try await connection.roundTrip(
                    ListOffsetsRequest(
                        replicaId: -1, topics: [.init(name: "idempotent", partitions: [.init(partitionIndex: 0, timestamp: -1)])]),
                    version: 7)
                #expect(offsets.topics.first?.partitions.first?.offset == 1, "stored once")
            }
        }
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func theBrokerCompressionTypeReencodesBatches(codec: CompressionCodec) async throws {
        try await InProcessBroker.with(settings: ["compression.type": codec.description]) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("squeezed")
                _ = try await connection.roundTrip(Self.produce("squeezed", try Self.batch(["a", "b", "c"])), version: 9)
                let fetched = try await connection.roundTrip(
                    FetchRequest(
                        maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                        topics: [.init(topic: "squeezed", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
                    version: 12)
                var view = RecordBatchView(try #require(fetched.responses.first?.partitions.first?.records))
                guard case .batch(let stored)? = try view.next() else {
                    Issue.record("no batch stored")
                    return
                }
                #expect(stored.header.attributes.compression == codec)
                #expect(try stored.records().compactMap { $0.value.map { String(buffer: $0) } } == ["a", "b", "c"])
            }
        }
    }

    @Test(arguments: [CompressionCodec.gzip, .snappy, .lz4, .zstd])
    func batchesInEveryKafkaCodecAreStoredAsSent(codec: CompressionCodec) async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("compressed")
                let sent = try Self.batch(["a", "b", "c"], compression: codec)
                let produced = try await connection.roundTrip(Self.produce("compressed", sent), version: 9)
                #expect(Self.produceError(produced) == .noError)
                let fetched = try await connection.roundTrip(
                    FetchRequest(
                        maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                        topics: [.init(topic: "compressed", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
                    version: 12)
                let stored = try #require(fetched.responses.first?.partitions.first?.records)
                // Only baseOffset and partitionLeaderEpoch (bytes 0-7 and 12-15) are the broker's to rewrite.
                #expect(
                    stored.getSlice(at: stored.readerIndex + 16, length: stored.readableBytes - 16)
                        == sent.getSlice(at: sent.readerIndex + 16, length: sent.readableBytes - 16))
            }
        }
    }
}
