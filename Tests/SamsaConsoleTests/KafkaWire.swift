import KafkaProtocol
import KafkaRecords
import NIOCore
import NIOPosix

/// A bare Kafka connection that sends hand-built requests, and the few client steps the console
/// tests need (create topics, produce, fetch, join a group and commit).
struct KafkaWire {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let clientId: String
    private var correlationId: Int32 = 0

    static func with<Result: Sendable>(
        port: Int, clientId: String = "console-test", _ body: (inout KafkaWire) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 26)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var wire = KafkaWire(inbound: inbound.makeAsyncIterator(), outbound: outbound, clientId: clientId)
            return try await body(&wire)
        }
    }

    private init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, clientId: String) {
        self.inbound = inbound
        self.outbound = outbound
        self.clientId = clientId
    }

    mutating func roundTrip<Message: KafkaRequestMessage>(_ message: Message, version: Int16) async throws -> Message.Response {
        correlationId += 1
        var frame = ByteBuffer()
        KafkaMessageCodec.encodeRequest(message, version: version, correlationId: correlationId, clientId: clientId, into: &frame)
        try await outbound.write(frame)
        guard let answer = try await inbound.next() else { throw ConnectionClosed() }
        return try KafkaMessageCodec.decodeResponse(Message.Response.self, frame: answer, version: version).1
    }

    struct ConnectionClosed: Error {}

    // MARK: - Client steps

    mutating func createTopic(_ name: String, partitions: Int32) async throws {
        let response = try await roundTrip(
            CreateTopicsRequest(topics: [.init(name: name, numPartitions: partitions, replicationFactor: 1)], timeoutMs: 5_000), version: 5)
        guard response.topics.first?.errorCode == 0 else { throw UnexpectedError(what: "CreateTopics \(name)", code: response.topics.first?.errorCode) }
    }

    /// Produces one batch; returns its error code and the size of the records sent.
    @discardableResult
    mutating func produce(
        _ topic: String, partition: Int32, records: [(key: String?, value: ByteBuffer?, headers: [RecordHeader])], acks: Int16 = 1,
        timestamp: Int64 = 1_700_000_000_000
    ) async throws -> (error: ErrorCode, bytes: Int) {
        var builder = RecordBatchBuilder()
        for record in records {
            builder.append(timestamp: timestamp, key: record.key.map { ByteBuffer(string: $0) }, value: record.value, headers: record.headers)
        }
        let batch = try builder.build()
        let response = try await roundTrip(
            ProduceRequest(acks: acks, timeoutMs: 5_000, topicData: [.init(name: topic, partitionData: [.init(index: partition, records: batch)])]),
            version: 9)
        let code = response.responses.first?.partitionResponses.first?.errorCode ?? -1
        return (ErrorCode(rawValue: code), batch.readableBytes)
    }

    /// Values as text, one batch.
    @discardableResult
    mutating func produce(_ topic: String, partition: Int32, values: [String], acks: Int16 = 1) async throws -> (error: ErrorCode, bytes: Int) {
        try await produce(topic, partition: partition, records: values.map { (nil, ByteBuffer(string: $0), []) }, acks: acks)
    }

    /// Fetches from `offset`; returns the partition's error code and the record bytes returned.
    mutating func fetch(_ topic: String, partition: Int32, offset: Int64) async throws -> (error: ErrorCode, bytes: Int) {
        let response = try await roundTrip(
            FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                topics: [.init(topic: topic, partitions: [.init(partition: partition, fetchOffset: offset, partitionMaxBytes: 1 << 20)])]),
            version: 12)
        let data = response.responses.first?.partitions.first
        return (ErrorCode(rawValue: data?.errorCode ?? -1), data?.records?.readableBytes ?? 0)
    }

    /// Joins `group` as its only member and hands itself `assignment`, as a consumer's leader
    /// would; returns the member id and generation. The member never heartbeats: its 10-minute
    /// session keeps the group Stable however slowly a loaded machine runs the browser.
    mutating func joinAsSoleMember(group: String, assignment: [(topic: String, partitions: [Int32])]) async throws -> (memberId: String, generation: Int32) {
        var join = JoinGroupRequest(
            groupId: group, sessionTimeoutMs: 600_000, rebalanceTimeoutMs: 30_000, memberId: "", protocolType: "consumer",
            protocols: [.init(name: "range", metadata: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]))])
        var joined = try await roundTrip(join, version: 5)
        if joined.errorCode == ErrorCode.memberIdRequired.rawValue {
            join.memberId = joined.memberId
            joined = try await roundTrip(join, version: 5)
        }
        guard joined.errorCode == 0 else { throw UnexpectedError(what: "JoinGroup \(group)", code: joined.errorCode) }
        let synced = try await roundTrip(
            SyncGroupRequest(
                groupId: group, generationId: joined.generationId, memberId: joined.memberId,
                assignments: [.init(memberId: joined.memberId, assignment: Self.consumerAssignment(assignment))]),
            version: 3)
        guard synced.errorCode == 0 else { throw UnexpectedError(what: "SyncGroup \(group)", code: synced.errorCode) }
        return (joined.memberId, joined.generationId)
    }

    /// Commits offsets; a member id of "" and generation -1 commit as a group without members does.
    mutating func commit(group: String, memberId: String = "", generation: Int32 = -1, _ offsets: [(topic: String, partition: Int32, offset: Int64)]) async throws {
        let response = try await roundTrip(
            OffsetCommitRequest(
                groupId: group, generationIdOrMemberEpoch: generation, memberId: memberId,
                topics: Dictionary(grouping: offsets, by: \.topic).map { topic, entries in
                    .init(name: topic, partitions: entries.map { .init(partitionIndex: $0.partition, committedOffset: $0.offset) })
                }),
            version: 8)
        for topic in response.topics {
            for partition in topic.partitions where partition.errorCode != 0 {
                throw UnexpectedError(what: "OffsetCommit \(group) \(topic.name)-\(partition.partitionIndex)", code: partition.errorCode)
            }
        }
    }

    /// ConsumerProtocolAssignment v0.
    static func consumerAssignment(_ partitions: [(topic: String, partitions: [Int32])]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(0))
        buffer.writeInteger(Int32(partitions.count))
        for (topic, numbers) in partitions {
            buffer.writeInteger(Int16(topic.utf8.count))
            buffer.writeString(topic)
            buffer.writeInteger(Int32(numbers.count))
            for number in numbers { buffer.writeInteger(number) }
        }
        buffer.writeInteger(Int32(-1))
        return buffer
    }

    struct UnexpectedError: Error, CustomStringConvertible {
        var what: String
        var code: Int16?
        var description: String { "\(what) failed with \(code.map { ErrorCode(rawValue: $0).description } ?? "no answer")" }
    }
}
