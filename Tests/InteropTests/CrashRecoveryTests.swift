import Foundation
import KafkaRecords
import NIOCore
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The built `samsa` broker is killed with SIGKILL again and again on one data folder while
    /// kafka-python produces, or its files are damaged between runs; after each restart every
    /// acknowledged record is where it was acknowledged and committed group offsets are intact.
    ///
    /// CI runs 10 kills. `make crash-test-long` runs 50 (`SAMSA_CRASH_KILLS`) and measures
    /// recovery of 1 GiB of log (`SAMSA_RECOVERY_GIB`).
    @Suite("Crash recovery with kafka-python", .serialized)
    struct CrashRecoveryTests {
        static let kills = ProcessInfo.processInfo.environment["SAMSA_CRASH_KILLS"].flatMap(Int.init) ?? 10
        static let recoveryGibibytes = ProcessInfo.processInfo.environment["SAMSA_RECOVERY_GIB"].flatMap(Int.init)

        private func temporaryFolder() -> String {
            FileManager.default.temporaryDirectory.appendingPathComponent("samsa-crash-\(UUID().uuidString)").path
        }

        private static func segmentPath(_ folder: String, topic: String = "crash", suffix: String = ".log") -> String {
            folder + "/\(topic)-0/00000000000000000000" + suffix
        }

        /// Kills the broker at a random moment once the producer is under way (the partition's log
        /// has grown), whenever the Python call actually starts. Returns the acknowledged
        /// (offset, number) pairs and the broker's peak RSS just before the kill.
        private func produceUntilKilled(_ broker: BrokerProcess, acks: String, first: Int) async throws -> (
            pairs: [[Int]], peakResidentBytes: Int
        ) {
            let segment = Self.segmentPath(broker.dataDirectory)
            let sizeBefore = (try? FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int) ?? 0
            let killer = Task {
                let deadline = ContinuousClock.now + .seconds(120)
                while ContinuousClock.now < deadline {
                    let size = (try? FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int) ?? 0
                    if size > sizeBefore + 2_000 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...1_500)))
                let peak = broker.peakResidentBytes
                broker.kill()
                return peak
            }
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("acked_producer"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "acks": acks, "first": "\(first)", "seconds": "15"])
            let peak = try await killer.value
            guard case .array(let pairs) = result["acked"] else { return ([], peak) }
            return (
                pairs.compactMap { pair in
                    guard case .array(let values) = pair, values.count == 2, case .int(let offset) = values[0],
                        case .int(let number) = values[1]
                    else { return nil }
                    return [offset, number]
                }, peak
            )
        }

        private static func records(in result: [String: JSONValue]) -> [(offset: Int, value: String)] {
            guard case .array(let pairs) = result["records"] else { return [] }
            return pairs.compactMap { pair in
                guard case .array(let values) = pair, case .int(let offset) = values[0], case .string(let value) = values[1] else {
                    return nil
                }
                return (offset, value)
            }
        }

        private static func committed(_ value: JSONValue?) -> Int? {
            if case .int(let offset) = value { return offset }
            return nil
        }

        /// Every acknowledged record at its offset, and offsets 0, 1, 2, … each once.
        private static func verify(_ stored: [(offset: Int, value: String)], acknowledged: [Int: Int], endOffset: Int?, context: String) {
            let offsets = stored.map(\.offset)
            #expect(offsets == Array(0..<offsets.count), "no gaps or duplicate offsets (\(context))")
            if let endOffset { #expect(offsets.count == endOffset, "the whole log was read (\(context))") }
            let values = Dictionary(stored.map { ($0.offset, $0.value) }, uniquingKeysWith: { first, _ in first })
            let lost = acknowledged.filter { values[$0.key] != "\($0.value)" }
            #expect(
                lost.isEmpty,
                "\(lost.count) acknowledged records missing or moved (\(context)), e.g. \(lost.first.map { "\($0.value) at \($0.key)" } ?? "")"
            )
        }

        @Test func acknowledgedRecordsAndCommittedOffsetsSurviveRepeatedSigkills() async throws {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var acknowledged: [Int: Int] = [:]
            var lastCommit: Int?
            var restarts: [Duration] = []
            var peakResidentBytes = 0
            for round in 0...Self.kills {
                let started = ContinuousClock.now
                let broker = try await BrokerProcess.samsa(dataDirectory: folder)
                restarts.append(ContinuousClock.now - started)
                if round > 0 {
                    let commit = round * 1_000
                    let result = try await EmbeddedPython.runScenario(
                        path: InteropPaths.scenario("crash_checkpoint"),
                        arguments: ["bootstrap-server": broker.bootstrapServer, "commit": "\(commit)"])
                    let endOffset = Self.committed(result["end_offset"])
                    Self.verify(Self.records(in: result), acknowledged: acknowledged, endOffset: endOffset, context: "after kill \(round)")
                    #expect(Self.committed(result["committed_before"]) == lastCommit, "the committed offset survived kill \(round)")
                    #expect(Self.committed(result["committed_after"]) == commit)
                    lastCommit = commit
                }
                guard round < Self.kills else {
                    peakResidentBytes = max(peakResidentBytes, broker.peakResidentBytes)
                    broker.terminate()
                    break
                }
                let acks = round.isMultiple(of: 2) ? "all" : "1"
                let (pairs, peak) = try await produceUntilKilled(broker, acks: acks, first: round * 100_000)
                peakResidentBytes = max(peakResidentBytes, peak)
                #expect(!pairs.isEmpty, "round \(round) (acks=\(acks)) acknowledged nothing")
                for pair in pairs { acknowledged[pair[0]] = pair[1] }
            }
            let logBytes = (try? FileManager.default.attributesOfItem(atPath: Self.segmentPath(folder))[.size] as? Int) ?? 0
            let slowest = restarts.max() ?? .zero
            print(
                "Crash test: \(Self.kills) SIGKILLs survived, \(acknowledged.count) acknowledged records verified at their offsets,",
                "log of \(logBytes) bytes, slowest restart \(slowest), broker peak RSS \(peakResidentBytes >> 20) MiB")
        }

        enum Damage: String, CaseIterable, CustomTestStringConvertible {
            case tornWrite, randomBytesAppended, indexMissing, indexCorrupt, cleanShutdownMarkerMissing
            var testDescription: String { rawValue }
        }

        /// Damages a copy of a cleanly stopped data folder holding records "0"…"199" at offsets
        /// 0…199 (one batch each), restarts on it, and checks that everything before the damage is
        /// served and the next record gets the next offset.
        @Test func damagedFilesAreRecoveredAndEverythingBeforeTheDamageIsServed() async throws {
            let template = temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: template) }
            var broker = try await BrokerProcess.samsa(dataDirectory: template)
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("acked_producer"),
                arguments: ["bootstrap-server": broker.bootstrapServer, "acks": "1", "count": "200", "seconds": "60"])
            broker.terminate()
            guard case .array(let acked) = result["acked"] else {
                Issue.record("no acknowledgements")
                return
            }
            #expect(acked.count == 200)

            for damage in Damage.allCases {
                let folder = temporaryFolder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                try FileManager.default.copyItem(atPath: template, toPath: folder)
                let segment = Self.segmentPath(folder)
                let index = Self.segmentPath(folder, suffix: ".index")
                var survivors = 200
                switch damage {
                case .tornWrite:
                    // Cut in the middle of the last batch, as a crash during its write() leaves it.
                    let size = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
                    try FileHandle(forWritingTo: URL(fileURLWithPath: segment)).truncate(atOffset: UInt64(size - 20))
                    try FileManager.default.removeItem(atPath: folder + "/.kafka_cleanshutdown")
                    survivors = 199
                case .randomBytesAppended:
                    let handle = try #require(FileHandle(forWritingAtPath: segment))
                    handle.seekToEndOfFile()
                    handle.write(Data((0..<333).map { _ in UInt8.random(in: 0...255) }))
                    try handle.close()
                    try FileManager.default.removeItem(atPath: folder + "/.kafka_cleanshutdown")
                case .indexMissing:
                    try FileManager.default.removeItem(atPath: index)
                    try FileManager.default.removeItem(atPath: Self.segmentPath(folder, suffix: ".timeindex"))
                case .indexCorrupt:
                    try Data((0..<96).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: index))
                case .cleanShutdownMarkerMissing:
                    try FileManager.default.removeItem(atPath: folder + "/.kafka_cleanshutdown")
                }

                broker = try await BrokerProcess.samsa(dataDirectory: folder)
                let stored = try await EmbeddedPython.runScenario(
                    path: InteropPaths.scenario("read_partition"), arguments: ["bootstrap-server": broker.bootstrapServer])
                let records = Self.records(in: stored)
                #expect(records.count == survivors, "\(damage)")
                Self.verify(
                    records, acknowledged: Dictionary(uniqueKeysWithValues: (0..<survivors).map { ($0, $0) }), endOffset: survivors,
                    context: "\(damage)")
                let next = try await EmbeddedPython.runScenario(
                    path: InteropPaths.scenario("acked_producer"),
                    arguments: [
                        "bootstrap-server": broker.bootstrapServer, "acks": "all", "first": "\(survivors)", "count": "1", "seconds": "30",
                    ])
                #expect(next["acked"] == [[.int(survivors), .int(survivors)]], "the next record follows the damage (\(damage))")
                broker.terminate()
                #expect(FileManager.default.fileExists(atPath: index), "the index is rebuilt (\(damage))")
            }
        }

        /// Recovery time per GiB: a data folder of 1 KiB records in 16 KiB batches, without a
        /// clean-shutdown marker, so start-up re-validates every batch. 64 MiB in a normal run, to
        /// show recovery of several segments works; `SAMSA_RECOVERY_GIB` GiB for the figures.
        @Test func recoveryTimePerGibibyte() async throws {
            let totalBytes = Self.recoveryGibibytes.map { $0 << 30 } ?? 64 << 20
            let gibibytes = Double(totalBytes) / Double(1 << 30)
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try FileManager.default.createDirectory(atPath: folder + "/bulk-0", withIntermediateDirectories: true)
            var builder = RecordBatchBuilder()
            for _ in 0..<16 { builder.append(timestamp: 1_700_000_000_000, key: nil, value: ByteBuffer(repeating: 0x61, count: 1_024)) }
            var batch = try RecordBatch(try builder.build())
            // Segments of at most 1 GiB, as the default log.segment.bytes makes them.
            let batchesPerSegment = min(1 << 30, totalBytes) / batch.bytes.readableBytes
            var nextOffset: Int64 = 0
            for _ in 0..<max(1, totalBytes >> 30) {
                let path = folder + "/bulk-0/" + String(format: "%020lld", nextOffset) + ".log"
                #expect(FileManager.default.createFile(atPath: path, contents: nil))
                let handle = try #require(FileHandle(forWritingAtPath: path))
                var chunk = ByteBuffer()
                for _ in 0..<batchesPerSegment {
                    batch.setBaseOffset(nextOffset)
                    nextOffset += 16
                    chunk.writeImmutableBuffer(batch.bytes)
                    if chunk.readableBytes >= 16 << 20 {
                        handle.write(Data(chunk.readableBytesView))
                        chunk.clear()
                    }
                }
                handle.write(Data(chunk.readableBytesView))
                try handle.close()
            }
            let uncleanStart = ContinuousClock.now
            let broker = try await BrokerProcess.samsa(dataDirectory: folder)
            let unclean = ContinuousClock.now - uncleanStart
            let recovered = try await RawKafkaConnection.with(port: broker.port) { try await $0.latestOffset("bulk", partition: 0) }
            broker.terminate()
            #expect(recovered == nextOffset, "every record is recovered")
            let cleanStart = ContinuousClock.now
            let restarted = try await BrokerProcess.samsa(dataDirectory: folder)
            let clean = ContinuousClock.now - cleanStart
            restarted.terminate()
            print(
                "Recovery of \(gibibytes) GiB (\(nextOffset) records): \(unclean / gibibytes) per GiB re-validating every batch, \(clean / gibibytes) per GiB after a clean shutdown"
            )
        }
    }
}
