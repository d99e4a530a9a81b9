import Foundation
import KafkaClient
import PythonInterop
import SamsaTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension InteropSuite {
    /// Exactly-once read-process-write under SIGKILL: a copier (the SDK's `exactly-once` example,
    /// or the same program written with confluent-kafka) copies 10,000 numbered records from an
    /// input topic to an output topic in transactions with their offsets; it is SIGKILLed at
    /// random moments while copying and started again, or the broker is SIGKILLed instead. A
    /// read_committed reader of the output then finds every number exactly once.
    @Suite("Exactly-once under SIGKILL", .serialized, .timeLimit(.minutes(3)))
    struct ExactlyOnceUnderSigkillTests {
        static let records = 10_000
        static let kills = 3
        static let partitions: Int32 = 3

        /// A copier process: the Swift example or the confluent-kafka script.
        struct Copier: Sendable {
            let kill: @Sendable () -> Void
            let hasExited: @Sendable () -> Bool
        }

        struct Topics {
            let input = "numbers-\(UUID().uuidString.prefix(8))"
            let output = "copies-\(UUID().uuidString.prefix(8))"
            let group = "copier-\(UUID().uuidString.prefix(8))"
            let transactionalId = "copier-\(UUID().uuidString.prefix(8))"
        }

        static func startSwiftCopier(_ bootstrap: String, _ topics: Topics, log: String) throws -> Copier {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try TestPrerequisites.siblingExecutable("exactly-once"))
            process.arguments = [
                "--bootstrap-server", bootstrap, "--input", topics.input, "--output", topics.output, "--group", topics.group,
                "--transactional-id", topics.transactionalId, "--max-records-per-transaction", "100", "--exit-when-idle-ms", "3000",
                "--assign",
            ]
            if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try output.seekToEnd()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return Copier(
                kill: {
                    if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
                    process.waitUntilExit()
                }, hasExited: { !process.isRunning })
        }

        static func startConfluentCopier(_ bootstrap: String, _ topics: Topics) throws -> Copier {
            let process = try PythonSubprocess.start(
                path: InteropPaths.scenario("exactly_once_copier_confluent"),
                arguments: [
                    "bootstrap-server": bootstrap, "input": topics.input, "output": topics.output, "group": topics.group,
                    "transactional-id": topics.transactionalId, "max-records-per-transaction": "100", "exit-when-idle-ms": "3000",
                ],
                pythonPath: [InteropPaths.kafkaPython3Packages])
            let exited = ExitFlag()
            Task {
                _ = await process.wait()
                exited.set()
            }
            return Copier(kill: { process.kill() }, hasExited: { exited.isSet })
        }

        final class ExitFlag: Sendable {
            private let value = Mutex(false)
            func set() { value.withLock { $0 = true } }
            var isSet: Bool { value.withLock { $0 } }
        }

        /// The input topic with the numbers 0..<records, keyed so that they spread over its partitions.
        static func prepare(_ bootstrap: String, _ topics: Topics) async throws {
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [bootstrap]))
            try await admin.createTopics([
                NewTopic(name: topics.input, numPartitions: partitions, replicationFactor: 1),
                NewTopic(name: topics.output, numPartitions: partitions, replicationFactor: 1),
            ])
            await admin.close()
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: [bootstrap]))
            for number in 0..<records { _ = try await producer.enqueue(topic: topics.input, key: "\(number)", value: "\(number)") }
            try await producer.flush()
            await producer.close()
        }

        /// The output's offsets a read_committed reader can reach, summed over its partitions
        /// (records and transaction markers): how far the copier has got.
        static func committedProgress(_ reader: KafkaConsumer, _ topics: Topics) async -> Int64 {
            let outputPartitions = (0..<partitions).map { TopicPartition(topic: topics.output, partition: $0) }
            return (try? await reader.endOffsets(outputPartitions).values.reduce(0, +)) ?? 0
        }

        /// How often each number arrived in the output, read at read_committed once the copier is done.
        static func readOutput(_ bootstrap: String, _ topics: Topics) async throws -> [Int: Int] {
            var configuration = KafkaConsumerConfiguration(bootstrapServers: [bootstrap])
            configuration.isolationLevel = .readCommitted
            configuration.autoOffsetReset = .earliest
            configuration.valueDeserializer = .utf8
            let reader = try KafkaConsumer(configuration: configuration)
            try await reader.assign((0..<partitions).map { TopicPartition(topic: topics.output, partition: $0) })
            var counts: [Int: Int] = [:]
            var total = 0
            // Until every number arrived, then one more second in which a duplicate would show.
            _ = try await waitUntil(timeout: .seconds(30)) {
                for record in try await reader.poll(timeoutMs: 200) {
                    counts[Int(record.value as? String ?? "") ?? -1, default: 0] += 1
                    total += 1
                }
                return total >= records
            }
            _ = try await waitUntil(timeout: .seconds(1)) {
                for record in try await reader.poll(timeoutMs: 200) { counts[Int(record.value as? String ?? "") ?? -1, default: 0] += 1 }
                return false
            }
            await reader.close(autocommit: false)
            return counts
        }

        static func expectExactlyOnce(_ counts: [Int: Int]) {
            let missing = (0..<records).filter { counts[$0] == nil }
            let repeated = counts.filter { $0.value > 1 }.keys.sorted()
            #expect(missing.isEmpty, "numbers never copied: \(missing.prefix(20))")
            #expect(repeated.isEmpty, "numbers copied more than once: \(repeated.prefix(20))")
            #expect(Set(counts.keys) == Set(0..<records), "nothing else in the output")
        }

        /// Runs the copier, SIGKILLs it (or, with `killBroker`, the broker) `kills` times at random
        /// moments spread over the copy, starting it again each time it is gone, then lets it
        /// finish. Returns the read_committed progress at each kill.
        static func copyUnderKills(
            broker: BrokerProcess, killBroker: Bool, start: (Topics) throws -> Copier
        ) async throws -> [Int64] {
            var broker = broker
            let topics = Topics()
            try await prepare(broker.bootstrapServer, topics)
            var readerConfiguration = KafkaConsumerConfiguration(bootstrapServers: [broker.bootstrapServer])
            readerConfiguration.isolationLevel = .readCommitted
            // Reconnects by itself after the broker restarts.
            let progress = try KafkaConsumer(configuration: readerConfiguration)
            var progressAtKills: [Int64] = []
            var copier = try start(topics)
            for kill in 0..<kills {
                // Spread over the copy: after about (kill + 1) / (kills + 2) of the records, then a
                // random moment up to 300 ms later, mid-transaction as often as not.
                let target = Int64(records * (kill + 1) / (kills + 2))
                let reached = try await waitUntil(timeout: .seconds(40)) {
                    if copier.hasExited() { copier = try start(topics) }
                    return await committedProgress(progress, topics) >= target
                }
                #expect(reached, "the copier reached \(target) records before kill \(kill + 1)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
                progressAtKills.append(await committedProgress(progress, topics))
                if killBroker {
                    broker.kill()
                    broker = try await BrokerProcess.samsa(
                        dataDirectory: broker.dataDirectory, port: broker.port, logFile: broker.dataDirectory + ".log")
                } else {
                    copier.kill()
                    copier = try start(topics)
                }
            }
            // A copier that failed while the broker was away is started again until it has copied
            // everything; it stops by itself once idle.
            let finished = try await waitUntil(timeout: .seconds(60)) {
                guard copier.hasExited() else { return false }
                guard await committedProgress(progress, topics) >= Int64(records) else {
                    copier = try start(topics)
                    return false
                }
                return true
            }
            #expect(finished, "the copier finished")
            copier.kill()
            await progress.close(autocommit: false)
            expectExactlyOnce(try await readOutput(broker.bootstrapServer, topics))
            broker.kill()
            try? FileManager.default.removeItem(atPath: broker.dataDirectory)
            return progressAtKills
        }

        static func startBroker() async throws -> BrokerProcess {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-eos-\(UUID().uuidString)").path
            // The data stays when the broker is killed: copyUnderKills restarts it on the same folder.
            return try await BrokerProcess.samsa(dataDirectory: folder, logFile: folder + ".log")
        }

        @Test func theSwiftCopierCopiesEveryRecordOnceThoughKilled() async throws {
            let broker = try await Self.startBroker()
            let log = broker.dataDirectory + "-copier.log"
            let progressAtKills = try await Self.copyUnderKills(broker: broker, killBroker: false) {
                try Self.startSwiftCopier(broker.bootstrapServer, $0, log: log)
            }
            print("Swift copier killed at read_committed output offsets \(progressAtKills)")
        }

        @Test func theConfluentCopierCopiesEveryRecordOnceThoughKilled() async throws {
            let broker = try await Self.startBroker()
            let progressAtKills = try await Self.copyUnderKills(broker: broker, killBroker: false) {
                try Self.startConfluentCopier(broker.bootstrapServer, $0)
            }
            print("confluent-kafka copier killed at read_committed output offsets \(progressAtKills)")
        }

        @Test func theSwiftCopierCopiesEveryRecordOnceThoughTheBrokerIsKilled() async throws {
            let broker = try await Self.startBroker()
            let log = broker.dataDirectory + "-copier.log"
            let progressAtKills = try await Self.copyUnderKills(broker: broker, killBroker: true) {
                try Self.startSwiftCopier(broker.bootstrapServer, $0, log: log)
            }
            print("broker killed at read_committed output offsets \(progressAtKills)")
        }
    }
}
