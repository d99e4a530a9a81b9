import Foundation
import KafkaClient
import PythonInterop
import SamsaTestSupport
import Synchronization
import Testing

extension InteropSuite {
    /// Many Swift SDK producers and consumer groups in this process, and confluent-kafka groups in
    /// python3 subprocesses, against the built `samsa` broker, which is killed with SIGKILL mid-load
    /// and restarted on the same data folder and port. At the end every acknowledged record is in the
    /// log exactly once and in its producer's order (the producers are idempotent with acks=all, so a
    /// batch retried after the kill is not stored again), and every group has read the whole log.
    ///
    /// CI runs a scaled-down load and only reports the broker's memory. `make load-test-long` runs
    /// 50 producers and 50 consumers in 10 groups plus two confluent-kafka groups for 5 minutes, and
    /// checks that the broker's RSS stays flat after warm-up (`SAMSA_LOAD_RSS_GROWTH_LIMIT`).
    @Suite("Load with the Swift SDK and confluent-kafka", .serialized, .timeLimit(.minutes(15)))
    struct LoadTests {
        struct Settings: CustomStringConvertible {
            var producers = 10
            var consumers = 10
            var groups = 5
            var confluentGroups = 1
            var seconds = 20
            var kills = 1
            /// Records per second per producer: the load stays one the machine can sustain, so the
            /// figures describe a broker at work rather than clients starved of CPU.
            var rate = 150
            /// The most the broker's RSS at the end may be, as a multiple of its RSS after warm-up;
            /// nil only reports it, since a short run on a busy machine has no steady state.
            var residentGrowthLimit: Double?

            static let partitions = 6
            static let confluentMembersPerGroup = 2

            /// Each group reads one topic and each producer writes one, round robin.
            var topics: [String] { (0..<max(1, min(5, groups))).map { "load-\($0)" } }

            static let current: Settings = {
                let environment = ProcessInfo.processInfo.environment
                func int(_ name: String) -> Int? { environment[name].flatMap(Int.init) }
                var settings = Settings()
                settings.producers = int("SAMSA_LOAD_PRODUCERS") ?? settings.producers
                settings.consumers = int("SAMSA_LOAD_CONSUMERS") ?? settings.consumers
                settings.groups = int("SAMSA_LOAD_GROUPS") ?? settings.groups
                settings.confluentGroups = int("SAMSA_LOAD_CONFLUENT_GROUPS") ?? settings.confluentGroups
                settings.seconds = int("SAMSA_LOAD_SECONDS") ?? settings.seconds
                settings.kills = int("SAMSA_LOAD_KILLS") ?? settings.kills
                settings.rate = int("SAMSA_LOAD_RATE") ?? settings.rate
                settings.residentGrowthLimit = environment["SAMSA_LOAD_RSS_GROWTH_LIMIT"].flatMap(Double.init)
                return settings
            }()

            var description: String {
                "\(producers) producers, \(consumers) consumers in \(groups) groups, \(confluentGroups) confluent-kafka groups of "
                    + "\(Self.confluentMembersPerGroup), \(topics.count) topics × \(Self.partitions) partitions, \(seconds) s, \(kills) kills"
            }
        }

        /// What one producer sent: `acknowledged[n]` says whether record n was acknowledged.
        struct ProducerOutcome: Sendable {
            var topic: String
            var acknowledged: [Bool] = []
            var failures: [String] = []
        }

        /// Sends records "INDEX N" (N = 0, 1, …) to partition N mod 6 of `topic` until `stop`, at
        /// most `rate` a second, with up to 64 unacknowledged.
        private static func produce(
            index: Int, topic: String, bootstrapServer: String, rate: Int, until stop: ContinuousClock.Instant
        ) async throws -> ProducerOutcome {
            var configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
            configuration.clientId = "load-producer-\(index)"
            configuration.lingerMs = 5
            let producer = try KafkaProducer(configuration: configuration)
            var outcome = ProducerOutcome(topic: topic)
            var pending: [(number: Int, future: FutureRecordMetadata)] = []
            func settle(_ entry: (number: Int, future: FutureRecordMetadata)) async {
                do {
                    _ = try await entry.future.get()
                    outcome.acknowledged[entry.number] = true
                } catch {
                    outcome.failures.append("record \(entry.number): \(error)")
                }
            }
            let started = ContinuousClock.now
            while ContinuousClock.now < stop {
                let elapsed: Double = (ContinuousClock.now - started) / .seconds(1)
                let due = Int(Double(rate) * elapsed)
                guard outcome.acknowledged.count < due else {
                    try await Task.sleep(for: .milliseconds(10))
                    continue
                }
                let number = outcome.acknowledged.count
                do {
                    let future = try await producer.enqueue(
                        topic: topic, value: "\(index) \(number)", partition: Int32(number % Settings.partitions))
                    outcome.acknowledged.append(false)
                    pending.append((number, future))
                } catch {
                    outcome.failures.append("enqueue: \(error)")
                    try await Task.sleep(for: .milliseconds(100))
                }
                if pending.count >= 64 { await settle(pending.removeFirst()) }
            }
            for entry in pending { await settle(entry) }
            await producer.close()
            return outcome
        }

        /// The offsets a Swift consumer group has read, shared by its members.
        final class GroupReading: Sendable {
            let read = Mutex<[Int32: OffsetRanges]>([:])

            func record(_ records: [KafkaConsumerRecord]) {
                read.withLock { read in
                    for record in records { read[record.partition, default: OffsetRanges()].insert(record.offset) }
                }
            }
        }

        /// One member of a Swift consumer group, polling until its task is cancelled. Returns the
        /// errors its polls threw (expected while the broker restarts).
        private static func consume(
            group: String, member: Int, topic: String, bootstrapServer: String, into reading: GroupReading
        ) async throws -> Int {
            var configuration = KafkaConsumerConfiguration(bootstrapServers: [bootstrapServer], groupId: group)
            configuration.clientId = "\(group)-\(member)"
            configuration.autoOffsetReset = .earliest
            let consumer = try KafkaConsumer(configuration: configuration)
            try await consumer.subscribe(topics: [topic])
            var errors = 0
            while !Task.isCancelled {
                do {
                    reading.record(try await consumer.poll(timeoutMs: 500))
                } catch {
                    errors += 1
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            await consumer.close()
            return errors
        }

        /// The last offsets a confluent-kafka member reported (its newest "ranges" line).
        private struct ConfluentReport: Decodable {
            var ranges: [String: [[Int64]]]
        }

        private static func confluentReading(_ members: [PythonProcess]) -> [Int32: OffsetRanges] {
            var read: [Int32: OffsetRanges] = [:]
            for member in members {
                guard let line = member.standardOutput.split(separator: "\n").last(where: { $0.contains("\"ranges\"") }),
                    let report = try? JSONDecoder().decode(ConfluentReport.self, from: Data(line.utf8))
                else { continue }
                for (partition, ranges) in report.ranges {
                    guard let partition = Int32(partition) else { continue }
                    for range in ranges where range.count == 2 { read[partition, default: OffsetRanges()].insert(range[0]..<range[1]) }
                }
            }
            return read
        }

        /// The whole log as one reader outside any group sees it, checked against what the
        /// producers numbered.
        struct LogCheck {
            var endOffsets: [TopicPartition: Int64] = [:]
            var stored = 0
            var unreadPartitions: [TopicPartition] = []
            var offsetGaps = 0
            var duplicates: [String] = []
            var outOfOrder: [String] = []
            var foreign = 0
            /// `seen[producer][n]`: record n of that producer is in the log.
            var seen: [[Bool]]
        }

        private static func readLog(
            bootstrapServer: String, topics: [String], outcomes: [ProducerOutcome], within limit: Duration
        ) async throws -> LogCheck {
            var configuration = KafkaConsumerConfiguration(bootstrapServers: [bootstrapServer])
            configuration.valueDeserializer = .utf8
            let consumer = try KafkaConsumer(configuration: configuration)
            let partitions = topics.flatMap { topic in (0..<Settings.partitions).map { TopicPartition(topic: topic, partition: Int32($0)) }
            }
            try await consumer.assign(partitions)
            try await consumer.seekToBeginning(partitions)
            var check = LogCheck(seen: outcomes.map { Array(repeating: false, count: $0.acknowledged.count) })
            check.endOffsets = try await consumer.endOffsets(partitions)
            var next = Dictionary(uniqueKeysWithValues: partitions.map { ($0, Int64(0)) })
            var lastNumber: [TopicPartition: [Int: Int]] = [:]
            var unread = Set(partitions.filter { (check.endOffsets[$0] ?? 0) > 0 })
            let deadline = ContinuousClock.now + limit
            while !unread.isEmpty, ContinuousClock.now < deadline {
                for record in try await consumer.poll(timeoutMs: 1_000) {
                    let partition = record.topicPartition
                    if record.offset != next[partition] { check.offsetGaps += 1 }
                    next[partition] = record.offset + 1
                    if record.offset + 1 >= check.endOffsets[partition] ?? 0 { unread.remove(partition) }
                    check.stored += 1
                    let fields = (record.value as? String)?.split(separator: " ").compactMap { Int($0) } ?? []
                    guard fields.count == 2, check.seen.indices.contains(fields[0]), check.seen[fields[0]].indices.contains(fields[1])
                    else {
                        check.foreign += 1
                        continue
                    }
                    let (producer, number) = (fields[0], fields[1])
                    if check.seen[producer][number] {
                        check.duplicates.append("\(producer) \(number) again at \(partition) \(record.offset)")
                    }
                    check.seen[producer][number] = true
                    if let last = lastNumber[partition]?[producer], last >= number {
                        check.outOfOrder.append("\(producer) \(number) after \(last) in \(partition)")
                    }
                    lastNumber[partition, default: [:]][producer] = number
                }
            }
            check.unreadPartitions = unread.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            await consumer.close()
            return check
        }

        @Test func everyAcknowledgedRecordIsStoredOnceAndReadByEveryGroupAcrossSigkills() async throws {
            let settings = Settings.current
            let testStarted = ContinuousClock.now
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-load-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            // Small segments, so the load also rolls segments and the restart recovers many of them.
            var broker = try await BrokerProcess.samsa(dataDirectory: folder + "/data", settings: ["log.segment.bytes": "1048576"])
            let bootstrapServer = broker.bootstrapServer
            defer { if broker.process.isRunning { broker.terminate() } }

            let topics = settings.topics
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [bootstrapServer]))
            try await admin.createTopics(topics.map { NewTopic(name: $0, numPartitions: Int32(Settings.partitions), replicationFactor: 1) })
            await admin.close()

            let swiftGroups = (0..<settings.groups).map {
                (name: "load-swift-\($0)", topic: topics[$0 % topics.count], reading: GroupReading())
            }
            let membersPerGroup = max(1, settings.consumers / max(1, settings.groups))
            var consumers: [Task<Int, any Error>] = []
            for group in swiftGroups {
                for member in 0..<membersPerGroup {
                    consumers.append(
                        Task {
                            try await Self.consume(
                                group: group.name, member: member, topic: group.topic, bootstrapServer: bootstrapServer, into: group.reading
                            )
                        })
                }
            }
            defer { for consumer in consumers { consumer.cancel() } }
            var confluentGroups: [(name: String, topic: String, members: [PythonProcess])] = []
            defer { for member in confluentGroups.flatMap(\.members) { member.kill() } }
            for index in 0..<settings.confluentGroups {
                let name = "load-confluent-\(index)"
                let topic = topics[index % topics.count]
                let members = try (0..<Settings.confluentMembersPerGroup).map { member in
                    try PythonSubprocess.start(
                        path: InteropPaths.scenario("load_consumer_confluent"),
                        arguments: [
                            "bootstrap-server": bootstrapServer, "topic": topic, "group": name, "client-id": "\(name)-\(member)",
                            "stop-file": folder + "/stop", "seconds": "\(settings.seconds * 3 + 120)",
                        ],
                        pythonPath: [InteropPaths.kafkaPython3Packages])
                }
                confluentGroups.append((name, topic, members))
            }

            let producingStarted = ContinuousClock.now
            let producingEnds = producingStarted + .seconds(settings.seconds)
            let producers = (0..<settings.producers).map { index in
                Task {
                    try await Self.produce(
                        index: index, topic: topics[index % topics.count], bootstrapServer: bootstrapServer, rate: settings.rate,
                        until: producingEnds)
                }
            }
            defer { for producer in producers { producer.cancel() } }

            // The kills fall in the first half of the run; the RSS after warm-up is taken at its middle,
            // after the last restart, so that warm-up and end figures are of one broker process.
            let kills = (1..<(settings.kills + 1)).map {
                producingStarted + .milliseconds(settings.seconds * 1_000 * $0 / (2 * (settings.kills + 1)))
            }
            let warmedUp = producingStarted + .seconds(settings.seconds) / 2
            var residentAfterWarmUp: Int?
            var peakResident = 0
            var killsSurvived = 0
            func watchBroker() throws {
                guard broker.process.isRunning else {
                    throw TestFailure("the broker exited with status \(broker.process.terminationStatus) under load")
                }
                if residentAfterWarmUp == nil, ContinuousClock.now >= warmedUp { residentAfterWarmUp = broker.residentBytes }
                peakResident = max(peakResident, broker.peakResidentBytes)
            }
            while ContinuousClock.now < producingEnds {
                if killsSurvived < kills.count, ContinuousClock.now >= kills[killsSurvived] {
                    peakResident = max(peakResident, broker.peakResidentBytes)
                    broker.kill()
                    broker = try await BrokerProcess.samsa(dataDirectory: broker.dataDirectory, port: broker.port)
                    killsSurvived += 1
                }
                try watchBroker()
                try await Task.sleep(for: .milliseconds(250))
            }
            var outcomes: [ProducerOutcome] = []
            for producer in producers { outcomes.append(try await producer.value) }
            try watchBroker()

            let check = try await Self.readLog(
                bootstrapServer: bootstrapServer, topics: topics, outcomes: outcomes, within: .seconds(max(30, settings.seconds / 2)))
            #expect(check.unreadPartitions.isEmpty, "the reader got to the end of every partition; not: \(check.unreadPartitions)")

            // Every group reads the whole log, however often it rebalanced and whatever the kill did
            // to its commits (duplicates are allowed there: consumers are at-least-once).
            func groupsMissingRecords() -> [String: Int64] {
                var missing: [String: Int64] = [:]
                let readings =
                    swiftGroups.map { ($0.name, $0.topic, $0.reading.read.withLock { $0 }) }
                    + confluentGroups.map { ($0.name, $0.topic, Self.confluentReading($0.members)) }
                for (name, topic, read) in readings {
                    let count = (0..<Int32(Settings.partitions)).reduce(Int64(0)) { sum, partition in
                        sum
                            + (read[partition] ?? OffsetRanges()).missing(
                                upTo: check.endOffsets[TopicPartition(topic: topic, partition: partition)] ?? 0)
                    }
                    if count > 0 { missing[name] = count }
                }
                return missing
            }
            let drainEnds = ContinuousClock.now + .seconds(max(30, settings.seconds / 2))
            while !groupsMissingRecords().isEmpty, ContinuousClock.now < drainEnds {
                try watchBroker()
                try await Task.sleep(for: .milliseconds(250))
            }
            let missing = groupsMissingRecords()
            #expect(missing.isEmpty, "groups that did not read every record (records unread): \(missing)")
            let residentAtEnd = broker.residentBytes
            try watchBroker()

            #expect(FileManager.default.createFile(atPath: folder + "/stop", contents: nil))
            for consumer in consumers { consumer.cancel() }
            var pollErrors = 0
            for consumer in consumers { pollErrors += (try? await consumer.value) ?? 0 }
            for member in confluentGroups.flatMap(\.members) {
                let exit = await member.wait()
                #expect(exit.termination == .exited(status: 0), "a confluent-kafka member failed: \(exit.standardError.suffix(2_000))")
            }

            let sent = outcomes.reduce(0) { $0 + $1.acknowledged.count }
            let acknowledged = outcomes.reduce(0) { $0 + $1.acknowledged.filter { $0 }.count }
            var lost: [String] = []
            for (producer, outcome) in outcomes.enumerated() {
                for (number, acked) in outcome.acknowledged.enumerated() where acked && !check.seen[producer][number] {
                    lost.append("\(producer) \(number)")
                }
            }
            let failures = outcomes.flatMap(\.failures)
            #expect(lost.isEmpty, "\(lost.count) acknowledged records are not in the log, e.g. \(lost.prefix(5))")
            #expect(check.duplicates.isEmpty, "\(check.duplicates.count) records stored twice, e.g. \(check.duplicates.prefix(5))")
            #expect(
                check.outOfOrder.isEmpty,
                "\(check.outOfOrder.count) records out of their producer's order, e.g. \(check.outOfOrder.prefix(5))")
            #expect(check.offsetGaps == 0, "offsets run 0, 1, 2, … in every partition")
            #expect(check.foreign == 0, "every stored record is one a producer numbered")
            #expect(
                failures.isEmpty, "idempotent producers retry through a restart; \(failures.count) sends failed, e.g. \(failures.prefix(3))"
            )
            #expect(killsSurvived == settings.kills)
            let afterWarmUp = residentAfterWarmUp ?? 0
            if let limit = settings.residentGrowthLimit {
                #expect(
                    Double(residentAtEnd) <= limit * Double(afterWarmUp),
                    "the broker's RSS grew from \(afterWarmUp >> 20) MiB after warm-up to \(residentAtEnd >> 20) MiB")
            }
            print(
                "Load test: \(settings); \(sent) records sent, \(acknowledged) acknowledged, \(check.stored) stored and verified",
                "(\(lost.count) lost, \(check.duplicates.count) duplicates), read by \(swiftGroups.count + confluentGroups.count) groups;",
                "\(killsSurvived) SIGKILLs survived; broker RSS \(afterWarmUp >> 20) MiB after warm-up, \(residentAtEnd >> 20) MiB at the end,",
                "peak \(peakResident >> 20) MiB; \(pollErrors) poll errors; \(ContinuousClock.now - testStarted) in all")
        }
    }
}
