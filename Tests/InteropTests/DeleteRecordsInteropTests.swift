import Foundation
import KafkaBroker
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// DeleteRecords and DescribeLogDirs as kafka-python 3, confluent-kafka and the
    /// kafka-delete-records.sh / kafka-log-dirs.sh tools use them.
    @Suite("DeleteRecords and DescribeLogDirs with real clients", .serialized, .timeLimit(.minutes(3)))
    struct DeleteRecordsInteropTests {
        @Test func kafkaPythonDeletesRecordsAndDescribesLogDirs() async throws {
            let broker = try await InProcessBroker.start()
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("delete_records"), arguments: ["bootstrap-server": broker.bootstrapServer])
            try await broker.stop()
            #expect(result["low_watermarks"] == ["0": 6, "1": 4])
            #expect(result["beyond_end"] == "OffsetOutOfRangeError")
            #expect(result["beginning"] == 6)
            #expect(result["consumed"] == ["record-6", "record-7", "record-8", "record-9"])
            #expect(result["brokers"] == [1])
            #expect(result["log_dir_count"] == 1)
            #expect(result["log_dir_error"] == 0)
            #expect(result["described_partitions"] == ["trimmed-0", "trimmed-1"])
            #expect(result["sizes_positive"] == true)
            #expect(result["offset_lags"] == [0])
            #expect(result["usable_bytes_positive"] == true)
        }

        @Test func confluentKafkaDeletesRecords() async throws {
            let broker = try await InProcessBroker.start()
            let result = try await PythonSubprocess.runScenario(
                path: InteropPaths.scenario("delete_records_confluent"), arguments: ["bootstrap-server": broker.bootstrapServer],
                pythonPath: [InteropPaths.kafkaPython3Packages], timeout: .seconds(60))
            try await broker.stop()
            #expect(result["low_watermarks"] == ["0": 6, "1": 4])
            #expect(result["beyond_end"] == "OFFSET_OUT_OF_RANGE")
            #expect(result["watermarks"] == [6, 10])
        }

        @Test func deleteRecordsToolPrintsKafkasLines() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "cli-trimmed", "--partitions", "2"] + server)
            _ = try await SamsaCommand.run(
                ["console-producer", "--topic", "cli-trimmed", "--property", "parse.key=false"] + server, input: "a\nb\nc\n")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-offsets-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let counts = try #require(broker.broker.inspector.topic(named: "cli-trimmed")?.partitions.map(\.highWatermark))
            #expect(counts.reduce(0, +) == 3)
            let file = folder + "/offsets.json"
            try """
            {"partitions": [{"topic": "cli-trimmed", "partition": 0, "offset": -1},
                            {"topic": "cli-trimmed", "partition": 1, "offset": \(counts[1] + 1)}], "version": 1}
            """.write(toFile: file, atomically: true, encoding: .utf8)

            let deleted = try await SamsaCommand.run(["delete-records", "--offset-json-file", file] + server)
            #expect(
                deleted.standardOutput == """
                    Executing records delete operation
                    Records delete operation completed:
                    partition: cli-trimmed-0\tlow_watermark: \(counts[0])
                    partition: cli-trimmed-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.

                    """)
            #expect(deleted.status == 0)

            try #"{"partitions": [{"topic": "t", "partition": 0, "offset": 1}, {"topic": "t", "partition": 0, "offset": 2}]}"#
                .write(toFile: file, atomically: true, encoding: .utf8)
            let duplicated = try await SamsaCommand.run(["delete-records", "--offset-json-file", file] + server)
            #expect(duplicated.standardError == "Offset json file contains duplicate topic partitions: t-0\n")
            #expect(duplicated.status == 1)
            try #"{"version": 1}"#.write(toFile: file, atomically: true, encoding: .utf8)
            #expect(
                try await SamsaCommand.run(["delete-records", "--offset-json-file", file] + server).standardError
                    == "Missing partitions field\n")
            try await broker.stop()
        }

        @Test func logDirsToolPrintsKafkasJSONLine() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "dirs-a"] + server)
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "dirs-b"] + server)
            _ = try await SamsaCommand.run(["console-producer", "--topic", "dirs-a"] + server, input: "hello\n")
            let size = try #require(broker.broker.inspector.topics().first { $0.name == "dirs-a" }?.partitions.first?.sizeInBytes)
            #expect(size > 0)
            let directory = URL(fileURLWithPath: broker.dataDirectory).standardizedFileURL.path

            let described = try await SamsaCommand.run(
                ["log-dirs", "--describe", "--topic-list", "dirs-a,dirs-b", "--broker-list", "1"] + server)
            #expect(
                described.standardOutput == """
                    Querying brokers for log directories information
                    Received log directory information from brokers 1
                    {"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"dirs-a-0","size":\(size),"offsetLag":0,"isFuture":false},{"partition":"dirs-b-0","size":0,"offsetLag":0,"isFuture":false}],"error":null,"logDir":"\(directory)"}]}],"version":1}

                    """)
            #expect(described.standardError == "")
            #expect(described.status == 0)

            let missing = try await SamsaCommand.run(["log-dirs", "--describe", "--broker-list", "1,7"] + server)
            #expect(missing.standardError == "ERROR: The given brokers do not exist from --broker-list: 7. Current existent brokers: 1\n")
            #expect(missing.status == 1)
            try await broker.stop()
        }
    }
}
