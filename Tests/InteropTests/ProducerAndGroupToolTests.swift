import Foundation
import KafkaClient
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// `samsa console-producer`, `samsa consumer-groups` and `samsa perf produce` as child
    /// processes against an in-process broker.
    @Suite("samsa console-producer, consumer-groups and perf produce", .serialized, .timeLimit(.minutes(2)))
    struct ProducerAndGroupToolTests {
        static let studyNotesLines = "afasd\nmulti.com\nfor example\nlife for iakfa\n1 123 , ; !\n"

        @Test func consoleProducerSendsEachLineOfStandardInput() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "hello"] + server)

            let produced = try await SamsaCommand.run(["console-producer", "--topic", "hello"] + server, input: Self.studyNotesLines)
            #expect(produced.standardOutput == "", "no '>' prompt when standard input is not a terminal")
            #expect(produced.standardError == "")
            #expect(produced.status == 0)

            let keyed = try await SamsaCommand.run(
                [
                    "console-producer", "--topic", "hello", "--property", "parse.key=true", "--property", "key.separator=:",
                    "--compression-codec", "--request-required-acks", "1",
                ] + server,
                input: "k1:v1\nk2:v2\n")
            #expect(keyed.standardError == "")
            #expect(keyed.status == 0)
            #expect(try await endOffsets(broker, topic: "hello", partitions: 1) == [7])

            let unkeyed = try await SamsaCommand.run(
                ["console-producer", "--topic", "hello", "--property", "parse.key=true"] + server, input: "no separator here\n")
            #expect(unkeyed.standardError == "No key separator found on line number 1: 'no separator here'\n")
            #expect(unkeyed.status == 1)
            try await broker.stop()
        }

        @Test func consoleProducerReportsAnUnreachableServer() async throws {
            let port = try Loopback.freePort()
            let result = try await SamsaCommand.run(
                [
                    "console-producer", "--topic", "hello", "--bootstrap-server", "127.0.0.1:\(port)", "--producer-property",
                    "bootstrap.timeout.ms=300",
                ],
                input: "hello\nworld\n")
            #expect(
                result.standardError.hasPrefix(
                    "Error when sending message to topic hello with key: null, value: 5 bytes with error: Could not connect to any of 127.0.0.1:\(port) within 300 ms"
                ))
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(result.status == 1)
        }

        @Test func consumerGroupsResetDescribeListAndDelete() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "hello"] + server)
            _ = try await SamsaCommand.run(["console-producer", "--topic", "hello"] + server, input: Self.studyNotesLines)

            let reset = try await SamsaCommand.run(
                ["consumer-groups", "--reset-offsets", "--group", "G_test", "--topic", "hello", "--to-earliest", "--execute"] + server)
            #expect(
                reset.standardOutput == """

                    GROUP                          TOPIC                          PARTITION  NEW-OFFSET     
                    G_test                         hello                          0          0              

                    """)
            #expect(reset.standardError == "")

            let lagging = try await SamsaCommand.run(["consumer-groups", "--describe", "--group", "G_test"] + server)
            #expect(lagging.standardError == "\nConsumer group 'G_test' has no active members.\n")
            #expect(
                lagging.standardOutput == """

                    GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
                    G_test          hello           0          0               5               5               -               -               -

                    """)
            #expect(lagging.status == 0)

            let dryRun = try await SamsaCommand.run(
                ["consumer-groups", "--reset-offsets", "--group", "G_test", "--all-topics", "--shift-by", "-1"] + server)
            #expect(
                dryRun.standardError.hasPrefix(
                    "WARN: No action will be performed as the --execute option is missing.In a future major release"))
            #expect(
                dryRun.standardOutput.contains(
                    "\nG_test                         hello                          0          0              \n"),
                "shifting below the log start keeps the log start offset")

            let state = try await SamsaCommand.run(["consumer-groups", "--describe", "--group", "G_test", "--state"] + server)
            let coordinator = "\(broker.bootstrapServer)  (1)"
            let groupWidth = max(25, coordinator.count)
            #expect(
                state.standardOutput == "\n"
                    + "GROUP".padding(toLength: groupWidth, withPad: " ", startingAt: 0)
                    + " COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS\n"
                    + "G_test".padding(toLength: groupWidth, withPad: " ", startingAt: 0) + " "
                    + coordinator.padding(toLength: 25, withPad: " ", startingAt: 0)
                    + "                      Empty           0\n")

            #expect(try await SamsaCommand.run(["consumer-groups", "--list"] + server).standardOutput == "G_test\n")

            let missing = try await SamsaCommand.run(["consumer-groups", "--describe", "--group", "nope"] + server)
            #expect(missing.standardOutput == "\nError: Consumer group 'nope' does not exist.\n")
            #expect(missing.status == 1)

            let deleted = try await SamsaCommand.run(["consumer-groups", "--delete", "--group", "G_test"] + server)
            #expect(deleted.standardOutput == "Deletion of requested consumer groups ('G_test') was successful.\n")
            #expect(deleted.status == 0)
            let again = try await SamsaCommand.run(["consumer-groups", "--delete", "--group", "G_test"] + server)
            #expect(
                again.standardOutput == """

                    Error: Deletion of some consumer groups failed:
                    * Group 'G_test' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.

                    """)
            #expect(again.status == 1)
            try await broker.stop()
        }

        @Test func perfProducePrintsKafkasSummary() async throws {
            let broker = try await InProcessBroker.start()
            let result = try await SamsaCommand.run([
                "perf", "produce", "--topic", "perf", "--num-records", "3000", "--record-size", "100", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=\(broker.bootstrapServer)", "acks=1", "compression.type=gzip",
            ])
            #expect(result.standardError == "")
            #expect(result.status == 0)
            let summary = try #require(result.standardOutput.split(separator: "\n").last.map(String.init))
            #expect(
                summary.wholeMatch(
                    of:
                        #/3000 records sent, \d+\.\d{6} records/sec \(\d+\.\d{2} MB/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\./#
                ) != nil, "\(summary)")
            #expect(try await endOffsets(broker, topic: "perf", partitions: 1) == [3000])
            try await broker.stop()
        }

        private func endOffsets(_ broker: InProcessBroker, topic: String, partitions: Int32) async throws -> [Int64] {
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            let wanted = (0..<partitions).map { TopicPartition(topic: topic, partition: $0) }
            let offsets = try await admin.listOffsets(Dictionary(uniqueKeysWithValues: wanted.map { ($0, .latest) }))
            await admin.close()
            return wanted.map { offsets[$0] ?? -1 }
        }
    }
}
