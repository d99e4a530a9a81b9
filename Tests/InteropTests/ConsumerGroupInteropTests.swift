import Foundation
import PythonInterop
import SamsaTestSupport
import Synchronization
import Testing

extension InteropSuite {
    /// Consumer groups on the in-process broker with real kafka-python consumers.
    @Suite("Consumer groups with kafka-python and confluent-kafka", .serialized)
    struct ConsumerGroupInteropTests {
        @Test("the study notes' consumer reads everything once per group", arguments: ["3", "2"])
        func studyNotesConsumer(kafkaPythonMajor: String) async throws {
            let broker = try await InProcessBroker.start()
            let produced = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("study_notes_producer"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "acks": "1", "topic": "hello"])
            #expect(produced["end_offset"] == 10_000)
            let packages = kafkaPythonMajor == "3" ? InteropPaths.kafkaPython3Packages : InteropPaths.kafkaPython2Packages
            func consume(group: String) async throws -> [String: JSONValue] {
                try await PythonSubprocess.runScenario(
                    path: InteropPaths.scenario("study_notes_consumer"),
                    arguments: ["bootstrap-server": broker.bootstrapServer, "group": group], pythonPath: [packages],
                    timeout: .seconds(120))
            }
            let first = try await consume(group: "my-group")
            let second = try await consume(group: "my-group")
            let other = try await consume(group: "other-group")
            try await broker.stop()
            #expect(first["count"] == 10_000)
            #expect(first["distinct"] == 10_000)
            #expect(first["first"] == "{\"str\": \"result 0\"}")
            #expect(first["last"] == "{\"str\": \"result 9999\"}")
            #expect(second["count"] == 0, "the group committed everything")
            #expect(other["count"] == 10_000, "a new group starts from the beginning")
        }

        @Test func adminListsDescribesShowsLagAndDeletesGroups() async throws {
            let broker = try await InProcessBroker.start()
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("admin_groups"), arguments: ["bootstrap-server": broker.bootstrapServer])
            try await broker.stop()
            #expect(result["consumed"] == 30)
            #expect(result["listed"] == ["admin-group"])
            #expect(
                result["described"] == [
                    "state": "Stable", "protocol_type": "consumer", "protocol": "range",
                    "members": [["client_id": "admin-test-client", "client_host": "/127.0.0.1", "assignment": ["lagging-0"]]],
                ])
            #expect(result["committed"] == 30)
            #expect(result["lag"] == 0)
            #expect(result["delete_while_active"] == "NonEmptyGroupError")
            #expect(result["delete_when_empty"] == "OK")
            #expect(result["listed_after_delete"] == [])
        }

        @Test func committedOffsetsSurviveARestart() async throws {
            var broker = try await InProcessBroker.start()
            _ = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("produce_keyed"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "topic": "resume", "partitions": "1", "count": "100"])
            let before = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("consume_some"), arguments: ["bootstrap-server": broker.bootstrapServer, "max": "40"])
            try await broker.stop(keepingData: true)
            broker = try await InProcessBroker.start(dataDirectory: broker.dataDirectory)
            let after = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("consume_some"), arguments: ["bootstrap-server": broker.bootstrapServer])
            try await broker.stop()
            #expect(before["offsets"] == .array((0..<40).map { .int($0) }))
            #expect(after["offsets"] == .array((40..<100).map { .int($0) }), "the group resumes where it committed")
        }

        @Test func consumerOffsetsStaysSmallUnderRepeatedCommits() async throws {
            let broker = try await InProcessBroker.start(settings: [
                "offsets.topic.num.partitions": "1", "offsets.topic.segment.bytes": "4096", "log.cleaner.backoff.ms": "200",
            ])
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("commit_repeatedly"), arguments: ["bootstrap-server": broker.bootstrapServer])
            let folder = broker.dataDirectory + "/__consumer_offsets-0"
            var logBytes = 0
            // 600 commits of about 110 bytes each would be 66 KB; compaction keeps one per key in
            // closed segments. The cleaner runs every 200 ms: wait for it rather than for a time.
            let compacted = try await waitUntil(timeout: .seconds(10)) {
                logBytes = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".log") }.reduce(0) {
                    $0 + ((try FileManager.default.attributesOfItem(atPath: folder + "/" + $1)[.size] as? Int) ?? 0)
                }
                return logBytes < 16_384
            }
            try await broker.stop()
            #expect(result["committed"] == 1)
            #expect(compacted, "__consumer_offsets holds \(logBytes) bytes")
        }

        @Test("members share the partitions, rebalance and take over", arguments: ["group_member", "group_member_confluent"])
        func membersShareRebalanceAndTakeOverPartitions(scenario: String) async throws {
            let broker = try await InProcessBroker.start()
            defer { Task { try? await broker.stop() } }
            _ = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("produce_keyed"), arguments: ["bootstrap-server": broker.bootstrapServer])
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-members-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let group = GroupMembers(bootstrapServer: broker.bootstrapServer, folder: folder, scenario: scenario)
            defer { group.killAll() }

            for name in ["a", "b", "c"] { try group.start(name) }
            try await group.waitUntil("three members own one partition each") { members in
                members.count == 3 && members.values.allSatisfy { $0.count == 1 } && Set(members.values.flatMap { $0 }) == [0, 1, 2]
            }
            try await group.waitUntil("all 300 records consumed") { _ in group.records.count >= 300 }
            #expect(group.records.count == 300, "each record exactly once")
            #expect(Set(group.records.map(\.offsetKey)).count == 300)

            try group.start("d")
            try await group.waitUntil("the fourth member joined and one member owns nothing") { members in
                members.count == 4 && members.values.filter(\.isEmpty).count == 1
                    && Set(members.values.flatMap { $0 }) == [0, 1, 2]
            }

            group.close("d")
            group.close("a")
            try await group.waitUntil("the other two own all three partitions", within: .seconds(20)) { members in
                members.count == 2 && Set(members.values.flatMap { $0 }) == [0, 1, 2]
            }

            group.kill("b")
            try await group.waitUntil("the last member owns everything after the session timeout", within: .seconds(30)) { members in
                members["c"] == [0, 1, 2]
            }
            #expect(group.records.count == 300, "nothing was read twice across the rebalances")
        }
    }
}

/// Group members running as python3 subprocesses, with what each of them last reported.
final class GroupMembers: Sendable {
    struct Record: Hashable {
        var client: String
        var partition: Int
        var offset: Int
        var offsetKey: String { "\(partition)/\(offset)" }
    }

    let bootstrapServer: String
    let folder: String
    /// `group_member` (kafka-python 3) or `group_member_confluent` (confluent-kafka).
    let scenario: String
    /// Every member ever started, stopped ones included (their records still count).
    private let processes = Mutex<[String: PythonProcess]>([:])
    private let stopped = Mutex<Set<String>>([])

    init(bootstrapServer: String, folder: String, scenario: String) {
        self.bootstrapServer = bootstrapServer
        self.folder = folder
        self.scenario = scenario
    }

    func start(_ name: String) throws {
        let process = try PythonSubprocess.start(
            path: InteropPaths.scenario(scenario),
            arguments: [
                "bootstrap-server": bootstrapServer, "client-id": name, "stop-file": "\(folder)/stop-\(name)", "seconds": "90",
            ],
            pythonPath: [InteropPaths.kafkaPython3Packages])
        processes.withLock { $0[name] = process }
    }

    func close(_ name: String) {
        _ = FileManager.default.createFile(atPath: "\(folder)/stop-\(name)", contents: nil)
        stopped.withLock { _ = $0.insert(name) }
    }

    func kill(_ name: String) {
        stopped.withLock { _ = $0.insert(name) }
        processes.withLock { $0[name] }?.kill()
    }

    func killAll() {
        for process in processes.withLock({ Array($0.values) }) { process.kill() }
    }

    private var events: [(String, [String: JSONValue])] {
        processes.withLock { Array($0) }.flatMap { name, process in
            process.standardOutput.split(separator: "\n").compactMap { line -> (String, [String: JSONValue])? in
                guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8)) else { return nil }
                return (name, object)
            }
        }
    }

    /// The last assignment each running member reported.
    var assignments: [String: [Int]] {
        let stopped = stopped.withLock { $0 }
        var latest: [String: [Int]] = [:]
        for (name, event) in events where event["event"] == "assignment" && !stopped.contains(name) {
            if case .array(let partitions)? = event["partitions"] {
                latest[name] = partitions.compactMap { if case .int(let value) = $0 { return value } else { return nil } }
            }
        }
        return latest
    }

    /// Every record the members read, including members that have since stopped.
    var records: [Record] {
        events.compactMap { name, event in
            guard event["event"] == "record", case .int(let partition)? = event["partition"], case .int(let offset)? = event["offset"]
            else {
                return nil
            }
            return Record(client: name, partition: partition, offset: offset)
        }
    }

    func waitUntil(_ what: String, within limit: Duration = .seconds(45), _ condition: ([String: [Int]]) -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(assignments) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what); assignments: \(assignments)")
        throw CancellationError()
    }
}
