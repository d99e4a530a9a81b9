import Foundation
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// `samsa console-consumer` (formatter properties, a partition from an offset, Ctrl-C while a
    /// group member) and `samsa perf consume`, as child processes against an in-process broker.
    @Suite("samsa console-consumer and perf consume", .serialized, .timeLimit(.minutes(2)))
    struct ConsumerToolTests {
        @Test func printsKeysPartitionsOffsetsAndTimestampsAsKafkasFormatter() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "keyed"] + server)
            _ = try await SamsaCommand.run(
                ["console-producer", "--topic", "keyed", "--property", "parse.key=true", "--property", "key.separator=:"] + server,
                input: "k1:v1\nk2:v2\nk3:v3\n")

            let printed = try await SamsaCommand.run(
                [
                    "console-consumer", "--topic", "keyed", "--from-beginning", "--max-messages", "3", "--property", "print.key=true",
                    "--property", "print.partition=true", "--property", "print.offset=true", "--property", "key.separator= | ",
                ] + server)
            #expect(
                printed.standardOutput == """
                    Partition:0 | Offset:0 | k1 | v1
                    Partition:0 | Offset:1 | k2 | v2
                    Partition:0 | Offset:2 | k3 | v3

                    """)
            #expect(printed.standardError == "Processed a total of 3 messages\n")

            let timestamped = try await SamsaCommand.run(
                [
                    "console-consumer", "--topic", "keyed", "--partition", "0", "--offset", "2", "--max-messages", "1",
                    "--property", "print.timestamp=true",
                ] + server)
            #expect(timestamped.standardOutput.wholeMatch(of: #/CreateTime:\d{13}\tv3\n/#) != nil, "\(timestamped.standardOutput)")

            let noPartition = try await SamsaCommand.run(["console-consumer", "--topic", "keyed", "--partition", "7"] + server)
            #expect(noPartition.standardError == "Partition 7 of topic 'keyed' does not exist.\n")
            #expect(noPartition.status == 1)
            let conflicting = try await SamsaCommand.run(
                ["console-consumer", "--topic", "keyed", "--from-beginning", "--partition", "0", "--offset", "1"] + server)
            #expect(conflicting.standardError == "Options from-beginning and offset cannot be specified together.\n")
            #expect(conflicting.status == 1)
            try await broker.stop()
        }

        @Test func missingTopicIsReportedWhenTheBrokerDoesNotCreateIt() async throws {
            let broker = try await InProcessBroker.start(settings: ["auto.create.topics.enable": "false"])
            let result = try await SamsaCommand.run(
                ["console-consumer", "--topic", "nope", "--timeout-ms", "300", "--bootstrap-server", broker.bootstrapServer])
            #expect(
                result.standardError == "Processed a total of 0 messages\nTopic 'nope' does not exist, and the broker did not create it.\n")
            #expect(result.status == 1)
            try await broker.stop()
        }

        @Test func ctrlCEndsAGroupMemberWithTheTotal() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "live"] + server)
            _ = try await SamsaCommand.run(["console-producer", "--topic", "live"] + server, input: "one\ntwo\n")

            let interrupt = SamsaCommand.Interrupt()
            async let consumer = SamsaCommand.run(
                ["console-consumer", "--topic", "live", "--group", "G_live", "--from-beginning"] + server, interrupt: interrupt)
            // The member shows in the group once it has joined and consumed; bounded by 15 s.
            var described = try await SamsaCommand.run(["consumer-groups", "--describe", "--group", "G_live"] + server)
            let deadline = ContinuousClock.now + .seconds(15)
            while !described.standardOutput.contains("console-consumer"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                described = try await SamsaCommand.run(["consumer-groups", "--describe", "--group", "G_live"] + server)
            }
            let row = try #require(described.standardOutput.split(separator: "\n").last.map(String.init))
            #expect(row.wholeMatch(of: #/G_live +live +0 +(2|-) +2 +(0|-) +\S+ +/127\.0\.0\.1 +console-consumer/#) != nil, "\(row)")
            #expect(described.standardError == "")

            let members = try await SamsaCommand.run(
                ["consumer-groups", "--describe", "--group", "G_live", "--members", "--verbose"] + server)
            let memberLines = members.standardOutput.split(separator: "\n")
            #expect(memberLines.first?.wholeMatch(of: #/GROUP +CONSUMER-ID +HOST +CLIENT-ID +#PARTITIONS +ASSIGNMENT/#) != nil)
            #expect(memberLines.last?.wholeMatch(of: #/G_live +\S+ +/127\.0\.0\.1 +console-consumer +1 +live\(0\)/#) != nil)

            let refused = try await SamsaCommand.run(
                ["consumer-groups", "--reset-offsets", "--group", "G_live", "--topic", "live", "--to-earliest", "--execute"] + server)
            #expect(
                refused.standardOutput == """

                    Error: Assignments can only be reset if the group 'G_live' is inactive, but the current state is Stable.

                    GROUP                          TOPIC                          PARTITION  NEW-OFFSET     

                    """)
            #expect(refused.status == 1)

            interrupt()
            let stopped = try await consumer
            #expect(stopped.standardOutput == "one\ntwo\n")
            #expect(stopped.standardError == "Processed a total of 2 messages\n")
            #expect(stopped.status == 130, "the status of a process ended by SIGINT, as Kafka's tool exits")
            let after = try await SamsaCommand.run(["consumer-groups", "--describe", "--group", "G_live"] + server)
            #expect(after.standardError == "\nConsumer group 'G_live' has no active members.\n", "closing left the group and committed")
            #expect(
                after.standardOutput.contains(
                    "\nG_live          live            0          2               2               0               -"))
            try await broker.stop()
        }

        @Test func perfConsumePrintsKafkasHeaderAndRow() async throws {
            let broker = try await InProcessBroker.start()
            _ = try await SamsaCommand.run([
                "perf", "produce", "--topic", "perf", "--num-records", "2000", "--record-size", "50", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=\(broker.bootstrapServer)",
            ])
            let result = try await SamsaCommand.run([
                "perf", "consume", "--topic", "perf", "--messages", "2000", "--bootstrap-server", broker.bootstrapServer,
            ])
            #expect(result.standardError == "")
            #expect(result.status == 0)
            let lines = result.standardOutput.split(separator: "\n").map(String.init)
            #expect(
                lines.first
                    == "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
            )
            #expect(lines.count == 2)
            #expect(
                lines.last?.wholeMatch(
                    of:
                        #/(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3}), (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3}), 0\.0954, \d+\.\d{4}, 2000, \d+\.\d{4}, \d+, \d+, \d+\.\d{4}, \d+\.\d{4}/#
                ) != nil, "\(lines.last ?? "")")
            try await broker.stop()
        }
    }
}
