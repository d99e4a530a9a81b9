import KafkaProtocol
import KafkaRecords
import NIOCore

/// The few client steps tests and benchmarks need on a raw connection: create topics, produce,
/// fetch, join a group and commit.
extension RawKafkaConnection {
    public struct UnexpectedError: Error, CustomStringConvertible {
        public var what: String
        public var code: Int16?
        public var description: String { "\(what) failed with \(code.map { ErrorCode(rawValue: $0).description } ?? "no answer")" }
    }

    public mutating func createTopic(_ name: String, partitions: Int32 = 1, configs: [String: String] = [:]) async throws {
        try await createTopics([name], partitions: partitions, configs: configs)
    }

    /// Creates the topics with one request, as many as the caller gives, each with `configs`.
    public mutating func createTopics(_ names: [String], partitions: Int32 = 1, configs: [String: String] = [:]) async throws {
        let topicConfigs = configs.sorted { $0.key < $1.key }.map {
            CreateTopicsRequest.CreatableTopicConfig(name: $0.key, value: $0.value)
        }
        let response = try await roundTrip(
            CreateTopicsRequest(
                topics: names.map { .init(name: $0, numPartitions: partitions, replicationFactor: 1, configs: topicConfigs) },
                timeoutMs: 60_000),
            version: 5)
        if let failed = response.topics.first(where: { $0.errorCode != 0 }) {
            throw UnexpectedError(what: "CreateTopics \(failed.name)", code: failed.errorCode)
        }
        guard response.topics.count == names.count else { throw UnexpectedError(what: "CreateTopics \(names)", code: nil) }
    }

    /// Produces one batch; returns its error code and the size of the records sent.
    @discardableResult
    public mutating func produce(
        _ topic: String, partition: Int32, records: [(key: String?, value: ByteBuffer?, headers: [RecordHeader])], acks: Int16 = 1,
        timestamp: Int64 = 1_700_000_000_000
    ) async throws -> (error: ErrorCode, bytes: Int) {
        var builder = RecordBatchBuilder()
        for record in records {
            builder.append(
                timestamp: timestamp, key: record.key.map { ByteBuffer(string: $0) }, value: record.value, headers: record.headers)
        }
        let batch = try builder.build()
        let response = try await produce(topic, partition: partition, batch: batch, acks: acks)
        return (ErrorCode(rawValue: response?.errorCode ?? -1), batch.readableBytes)
    }

    /// Produces `batch` as it is; returns the partition's whole response (nil when it has none).
    public mutating func produce(
        _ topic: String, partition: Int32, batch: ByteBuffer, acks: Int16 = 1, version: Int16 = 9
    ) async throws -> ProduceResponse.PartitionProduceResponse? {
        let response = try await roundTrip(
            ProduceRequest(
                acks: acks, timeoutMs: 5_000, topicData: [.init(name: topic, partitionData: [.init(index: partition, records: batch)])]),
            version: version)
        return response.responses.first?.partitionResponses.first
    }

    /// Values as text, one batch.
    @discardableResult
    public mutating func produce(_ topic: String, partition: Int32, values: [String], acks: Int16 = 1) async throws -> (
        error: ErrorCode, bytes: Int
    ) {
        try await produce(topic, partition: partition, records: values.map { (nil, ByteBuffer(string: $0), []) }, acks: acks)
    }

    /// Fetches from `offset` without waiting; returns the partition's error code and the record bytes returned.
    public mutating func fetch(_ topic: String, partition: Int32, offset: Int64) async throws -> (error: ErrorCode, bytes: Int) {
        let response = try await roundTrip(
            FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                topics: [.init(topic: topic, partitions: [.init(partition: partition, fetchOffset: offset, partitionMaxBytes: 1 << 20)])]),
            version: 12)
        let data = response.responses.first?.partitions.first
        return (ErrorCode(rawValue: data?.errorCode ?? -1), data?.records?.readableBytes ?? 0)
    }

    /// The partition's log end offset (ListOffsets with timestamp -1).
    public mutating func latestOffset(_ topic: String, partition: Int32) async throws -> Int64 {
        let response = try await roundTrip(
            ListOffsetsRequest(replicaId: -1, topics: [.init(name: topic, partitions: [.init(partitionIndex: partition, timestamp: -1)])]),
            version: 7)
        guard let answer = response.topics.first?.partitions.first, answer.errorCode == 0 else {
            throw UnexpectedError(what: "ListOffsets \(topic)-\(partition)", code: response.topics.first?.partitions.first?.errorCode)
        }
        return answer.offset
    }

    /// Joins `group` as its only member and hands itself `assignment`, as a consumer's leader
    /// would; returns the member id and generation. The member never heartbeats: its 10-minute
    /// session keeps the group Stable however slowly a loaded machine runs the test.
    public mutating func joinAsSoleMember(group: String, assignment: [(topic: String, partitions: [Int32])]) async throws -> (
        memberId: String, generation: Int32
    ) {
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
    public mutating func commit(
        group: String, memberId: String = "", generation: Int32 = -1, _ offsets: [(topic: String, partition: Int32, offset: Int64)]
    ) async throws {
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
    public static func consumerAssignment(_ partitions: [(topic: String, partitions: [Int32])]) -> ByteBuffer {
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
}
