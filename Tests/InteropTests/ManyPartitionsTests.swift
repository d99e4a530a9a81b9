import Foundation
import KafkaClient
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The built `samsa` broker under a descriptor limit far below three files per partition, as on
    /// a machine whose `ulimit -n` was never raised: log files share the descriptors it has.
    @Suite("Many partitions under a low descriptor limit", .serialized, .timeLimit(.minutes(5)))
    struct ManyPartitionsTests {
        static let partitionCount = 5_000
        static let openFileLimit = 256

        @Test func aBrokerLimitedTo256DescriptorsServes5000PartitionsAcrossARestart() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-partitions-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var broker = try await BrokerProcess.samsa(
                dataDirectory: folder + "/data", logFile: folder + "/first.log", openFileLimit: Self.openFileLimit)
            let partitions = (0..<Self.partitionCount).map { TopicPartition(topic: "wide", partition: Int32($0)) }

            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            try await admin.createTopics([NewTopic(name: "wide", numPartitions: Int32(Self.partitionCount), replicationFactor: 1)])
            await admin.close()

            var configuration = KafkaProducerConfiguration(bootstrapServers: [broker.bootstrapServer])
            configuration.lingerMs = 20
            let producer = try KafkaProducer(configuration: configuration)
            var sent: [FutureRecordMetadata] = []
            for partition in partitions {
                sent.append(
                    try await producer.enqueue(topic: "wide", value: "record of \(partition.partition)", partition: partition.partition))
            }
            for future in sent { _ = try await future.get() }
            await producer.close()
            #expect(broker.openDescriptorCount <= Self.openFileLimit)

            #expect(try await readOneRecordPerPartition(broker, partitions) == partitions.count)
            broker.terminate()
            broker = try await BrokerProcess.samsa(
                dataDirectory: folder + "/data", port: broker.port, logFile: folder + "/second.log", openFileLimit: Self.openFileLimit)
            defer { broker.terminate() }
            #expect(try await readOneRecordPerPartition(broker, partitions) == partitions.count)
            #expect(broker.openDescriptorCount <= Self.openFileLimit)
            let log = try String(contentsOfFile: folder + "/second.log", encoding: .utf8)
            #expect(
                log.contains("Open-file limit \(Self.openFileLimit); log files keep at most \(Self.openFileLimit / 2) descriptors open"))
        }

        /// Reads every partition from its start and returns how many held exactly their one record.
        private func readOneRecordPerPartition(_ broker: BrokerProcess, _ partitions: [TopicPartition]) async throws -> Int {
            var configuration = KafkaConsumerConfiguration(bootstrapServers: [broker.bootstrapServer])
            configuration.valueDeserializer = .utf8
            let consumer = try KafkaConsumer(configuration: configuration)
            try await consumer.assign(partitions)
            try await consumer.seekToBeginning(partitions)
            var values: [TopicPartition: [String]] = [:]
            let deadline = ContinuousClock.now + .seconds(90)
            while values.count < partitions.count, ContinuousClock.now < deadline {
                for record in try await consumer.poll(timeoutMs: 1_000) {
                    values[record.topicPartition, default: []].append(record.value as? String ?? "")
                }
            }
            await consumer.close()
            return partitions.count { values[$0] == ["record of \($0.partition)"] }
        }
    }
}
