import Foundation
import KafkaProtocol
import KafkaRecords
import KafkaStorage
import NIOCore
import SamsaTestSupport
import Testing

@testable import KafkaBroker

/// Storage that fails under a running broker (the logs on `InMemoryFileSystem` with injected
/// faults): the affected partition answers KAFKA_STORAGE_ERROR, the others go on, nothing is
/// acknowledged that did not reach the log, and a failed fsync fails the partition until restart.
@Suite("Storage faults through the broker", .serialized, .tags(.component))
struct StorageFaultTests {
    static func segment(_ topic: String) -> String { "/\(topic)-0/00000000000000000000.log" }

    /// A broker whose partition logs live on `fileSystem`.
    static func logs(on fileSystem: InMemoryFileSystem) -> InProcessBroker.BrokerFactory {
        { configuration, logger, metricsFactory in
            try Broker(configuration: configuration, logger: logger, logFileSystem: fileSystem, metricsFactory: metricsFactory)
        }
    }

    static func produce(_ topic: String, _ value: String, acks: Int16, on connection: inout RawKafkaConnection) async throws -> (
        ErrorCode?, Int64?
    ) {
        let response = try await connection.roundTrip(
            BrokerRequestTests.produce(topic, try BrokerRequestTests.batch([value]), acks: acks), version: 9)
        let partition = response.responses.first?.partitionResponses.first
        return (partition.map { ErrorCode(rawValue: $0.errorCode) }, partition?.baseOffset)
    }

    /// The partition's error code and its records' (offset, value) pairs from offset 0.
    static func fetch(_ topic: String, on connection: inout RawKafkaConnection) async throws -> (ErrorCode, [(Int64, String)]) {
        let response = try await connection.roundTrip(
            FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
            version: 12)
        let partition = try #require(response.responses.first?.partitions.first)
        var records: [(Int64, String)] = []
        var view = RecordBatchView(partition.records ?? ByteBuffer())
        while case .batch(let batch)? = try view.next() {
            for record in try batch.decodedRecords() {
                records.append((record.offset, record.value.map { String(buffer: $0) } ?? ""))
            }
        }
        return (ErrorCode(rawValue: partition.errorCode), records)
    }

    static func listLatestOffset(_ topic: String, on connection: inout RawKafkaConnection) async throws -> ErrorCode? {
        let response = try await connection.roundTrip(
            ListOffsetsRequest(replicaId: -1, topics: [.init(name: topic, partitions: [.init(partitionIndex: 0, timestamp: -1)])]),
            version: 7)
        return response.topics.first?.partitions.first.map { ErrorCode(rawValue: $0.errorCode) }
    }

    @Test(arguments: [InMemoryFileSystem.WriteFailure.ioError, .noSpace, .shortWrite(bytesWritten: 20)])
    func aFailedWriteIsAnsweredWithKafkaStorageErrorAndNotStored(failure: InMemoryFileSystem.WriteFailure) async throws {
        let fileSystem = InMemoryFileSystem()
        try await InProcessBroker.with(brokerFactory: Self.logs(on: fileSystem)) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("hurt")
                try await connection.createTopic("fine")
                #expect(try await Self.produce("hurt", "a", acks: 1, on: &connection) == (.noError, 0))

                fileSystem.failWrite(toFilesEndingWith: Self.segment("hurt"), with: failure)
                #expect(try await Self.produce("hurt", "lost", acks: 1, on: &connection) == (.kafkaStorageError, -1))
                #expect(try await Self.produce("fine", "f", acks: -1, on: &connection) == (.noError, 0), "other partitions go on")

                // The device recovered and the failed append left nothing behind: the next one takes offset 1.
                #expect(try await Self.produce("hurt", "b", acks: -1, on: &connection) == (.noError, 1))
                let (error, records) = try await Self.fetch("hurt", on: &connection)
                #expect(error == .noError)
                #expect(records.map(\.0) == [0, 1])
                #expect(records.map(\.1) == ["a", "b"])
            }
        }
    }

    @Test func aFailedFsyncFailsThePartitionUntilRestart() async throws {
        let fileSystem = InMemoryFileSystem()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-fsync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await InProcessBroker.with(dataDirectory: folder, brokerFactory: Self.logs(on: fileSystem)) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("hurt")
                try await connection.createTopic("fine")
                #expect(try await Self.produce("hurt", "durable", acks: -1, on: &connection) == (.noError, 0))

                fileSystem.failSync(ofFilesEndingWith: Self.segment("hurt"))
                #expect(try await Self.produce("hurt", "unsure", acks: -1, on: &connection) == (.kafkaStorageError, -1))
                // Never retried and then acknowledged: the partition stays failed, for every acks and for reads.
                #expect(try await Self.produce("hurt", "later", acks: -1, on: &connection) == (.kafkaStorageError, -1))
                #expect(try await Self.produce("hurt", "later", acks: 1, on: &connection) == (.kafkaStorageError, -1))
                #expect(try await Self.fetch("hurt", on: &connection).0 == .kafkaStorageError)
                #expect(try await Self.listLatestOffset("hurt", on: &connection) == .kafkaStorageError)

                #expect(try await Self.produce("fine", "f", acks: -1, on: &connection) == (.noError, 0))
                #expect(try await Self.fetch("fine", on: &connection).1.map(\.1) == ["f"])
            }
        }
        // A power cut takes what was never fsync'd; the restart recovers the rest and takes writes again.
        fileSystem.simulatePowerLoss()
        try await InProcessBroker.with(dataDirectory: folder, brokerFactory: Self.logs(on: fileSystem)) { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                #expect(try await Self.produce("hurt", "again", acks: -1, on: &connection) == (.noError, 1))
                let (error, records) = try await Self.fetch("hurt", on: &connection)
                #expect(error == .noError)
                #expect(records.map(\.1) == ["durable", "again"])
                #expect(try await Self.fetch("fine", on: &connection).1.map(\.1) == ["f"])
            }
        }
    }
}
