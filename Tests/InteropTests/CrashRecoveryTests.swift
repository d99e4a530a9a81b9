import Foundation
import PythonInterop
import Testing

extension InteropSuite {
    /// The built `samsa` broker is killed with SIGKILL while kafka-python produces; after a restart
    /// every acknowledged record is where it was acknowledged.
    @Suite("Crash recovery with kafka-python", .serialized)
    struct CrashRecoveryTests {
        private func temporaryFolder() -> String {
            FileManager.default.temporaryDirectory.appendingPathComponent("samsa-crash-\(UUID().uuidString)").path
        }

        /// Kills the broker at a random moment once the producer is under way (the partition's log
        /// has grown), whenever the Python call actually starts.
        private func produceUntilKilled(_ broker: BrokerProcess, acks: String, first: Int) async throws -> [[Int]] {
            let segment = broker.dataDirectory + "/crash-0/00000000000000000000.log"
            let sizeBefore = (try? FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int) ?? 0
            let killer = Task {
                let deadline = ContinuousClock.now + .seconds(120)
                while ContinuousClock.now < deadline {
                    let size = (try? FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int) ?? 0
                    if size > sizeBefore + 2_000 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...1_500)))
                broker.kill()
            }
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("acked_producer"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "acks": acks, "first": "\(first)", "seconds": "15"])
            try await killer.value
            guard case .array(let pairs) = result["acked"] else { return [] }
            return pairs.compactMap { pair in
                guard case .array(let values) = pair, values.count == 2, case .int(let offset) = values[0], case .int(let number) = values[1] else { return nil }
                return [offset, number]
            }
        }

        private func readBack(_ bootstrapServer: String) async throws -> [Int: String] {
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("read_partition"), arguments: ["bootstrap-server": bootstrapServer])
            var records: [Int: String] = [:]
            if case .array(let pairs) = result["records"] {
                for pair in pairs {
                    if case .array(let values) = pair, case .int(let offset) = values[0], case .string(let value) = values[1] {
                        records[offset] = value
                    }
                }
            }
            return records
        }

        @Test func acknowledgedRecordsSurviveSigkill() async throws {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var acknowledged: [Int: Int] = [:]
            var next = 0
            for (round, acks) in ["all", "1", "all"].enumerated() {
                let broker = try await BrokerProcess.start(dataDirectory: folder)
                let pairs = try await produceUntilKilled(broker, acks: acks, first: next)
                #expect(!pairs.isEmpty, "round \(round) acknowledged nothing")
                for pair in pairs { acknowledged[pair[0]] = pair[1] }
                next += 100_000
            }
            let broker = try await BrokerProcess.start(dataDirectory: folder)
            defer { broker.terminate() }
            let stored = try await readBack(broker.bootstrapServer)
            for (offset, number) in acknowledged {
                #expect(stored[offset] == "\(number)", "acknowledged record \(number) at offset \(offset)")
            }
            let offsets = stored.keys.sorted()
            #expect(offsets == Array(0..<offsets.count), "no gaps or duplicate offsets")
        }

        @Test func garbageAppendedToTheNewestSegmentIsCutOff() async throws {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var broker = try await BrokerProcess.start(dataDirectory: folder)
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("acked_producer"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "acks": "1", "count": "200", "seconds": "30"])
            broker.terminate()
            guard case .array(let acked) = result["acked"] else { Issue.record("no acknowledgements"); return }
            #expect(acked.count == 200)

            let segment = folder + "/crash-0/00000000000000000000.log"
            let handle = try #require(FileHandle(forWritingAtPath: segment))
            handle.seekToEndOfFile()
            handle.write(Data((0..<333).map { _ in UInt8.random(in: 0...255) }))
            try handle.close()
            try FileManager.default.removeItem(atPath: folder + "/.kafka_cleanshutdown")

            broker = try await BrokerProcess.start(dataDirectory: folder)
            defer { broker.terminate() }
            let stored = try await readBack(broker.bootstrapServer)
            #expect(stored.count == 200)
            #expect(stored[199] == "199")
        }
    }
}
