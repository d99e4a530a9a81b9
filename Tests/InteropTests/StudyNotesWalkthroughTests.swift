import Foundation
import KafkaClient
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// The study notes' shell walkthrough (kafka-topics.sh, kafka-console-producer.sh,
    /// kafka-console-consumer.sh, kafka-consumer-groups.sh) with `samsa` in place of the scripts,
    /// each command a child process against one in-process broker.
    @Suite("The study notes' shell walkthrough with samsa", .serialized, .timeLimit(.minutes(2)))
    struct StudyNotesWalkthroughTests {
        static let helloLines = ["afasd", "multi.com", "for example", "life for iakfa", "1 123 , ; !"]
        static let shuffleLines = ["why suffle", "?", "i don't know", "what ever", "1564"]

        @Test func walkthrough() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            func samsa(_ arguments: [String], input: String = "") async throws -> SamsaCommand {
                try await SamsaCommand.run(arguments + server, input: input)
            }

            // ./bin/kafka-topics.sh --create --bootstrap-server localhost:9092 --topic hello
            let created = try await samsa(["topics", "--create", "--topic", "hello"])
            #expect(created.standardOutput == "Created topic hello.\n")
            #expect(created.standardError == "")
            let listed = try await samsa(["topics", "--list"])
            #expect(listed.standardOutput == "__consumer_offsets\nhello\n")
            let id = try await topicId(broker, "hello")
            let described = try await samsa(["topics", "--describe", "--topic", "hello"])
            #expect(
                described.standardOutput == """
                    Topic: hello\tTopicId: \(id)\tPartitionCount: 1\tReplicationFactor: 1\tConfigs:\u{20}
                    \tTopic: hello\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A

                    """)

            // ./bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic hello
            let produced = try await samsa(["console-producer", "--topic", "hello"], input: Self.helloLines.map { $0 + "\n" }.joined())
            #expect(produced.standardOutput == "")
            #expect(produced.standardError == "")
            #expect(produced.status == 0)

            // ./bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic hello --from-beginning
            let consumed = try await samsa(["console-consumer", "--topic", "hello", "--from-beginning", "--timeout-ms", "1000"])
            #expect(consumed.standardOutput == Self.helloLines.map { $0 + "\n" }.joined())
            #expect(consumed.standardError == "Processed a total of 5 messages\n")
            #expect(consumed.status == 0)

            // ... --topic hello --group G_test --from-beginning, then kafka-consumer-groups.sh --group G_test --describe
            let grouped = try await samsa([
                "console-consumer", "--topic", "hello", "--group", "G_test", "--from-beginning", "--max-messages", "5",
            ])
            #expect(grouped.standardOutput == Self.helloLines.map { $0 + "\n" }.joined())
            #expect(grouped.standardError == "Processed a total of 5 messages\n")
            let groupDescribed = try await samsa(["consumer-groups", "--group", "G_test", "--describe"])
            #expect(groupDescribed.standardError == "\nConsumer group 'G_test' has no active members.\n")
            #expect(
                groupDescribed.standardOutput == """

                    GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
                    G_test          hello           0          5               5               0               -               -               -

                    """)

            // ./bin/kafka-topics.sh --create --bootstrap-server localhost:9092 --partitions 3 --replication-factor 1 --topic hello_kafka
            let threePartitions = try await samsa([
                "topics", "--create", "--partitions", "3", "--replication-factor", "1", "--topic", "hello_kafka",
            ])
            #expect(
                threePartitions.standardOutput == """
                    WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.
                    Created topic hello_kafka.

                    """)
            // Unkeyed lines go to random partitions; thirty of them make a single partition vanishingly unlikely.
            let lines = (0..<6).flatMap { _ in Self.shuffleLines }
            _ = try await samsa(["console-producer", "--topic", "hello_kafka"], input: lines.map { $0 + "\n" }.joined())
            let spread = try await samsa([
                "console-consumer", "--topic", "hello_kafka", "--group", "G_test", "--from-beginning", "--max-messages", "30",
                "--property", "print.partition=true",
            ])
            #expect(spread.standardError == "Processed a total of 30 messages\n")
            let printed = spread.standardOutput.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1) }
            #expect(printed.map { String($0[1]) }.sorted() == lines.sorted())
            var perPartition: [String: Int] = [:]
            for line in printed { perPartition[String(line[0]), default: 0] += 1 }
            #expect(perPartition.count > 1, "unkeyed messages are spread across partitions: \(perPartition)")

            let bothTopics = try await samsa(["consumer-groups", "--describe", "--group", "G_test"])
            let rows = (0..<3).map { partition in
                let count = perPartition["Partition:\(partition)"] ?? 0
                return "G_test          hello_kafka     \(partition)          "
                    + "\(count)".padding(toLength: 15, withPad: " ", startingAt: 0) + " "
                    + "\(count)".padding(toLength: 15, withPad: " ", startingAt: 0) + " 0               -               -               -"
            }
            #expect(
                bothTopics.standardOutput == """

                    GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
                    G_test          hello           0          5               5               0               -               -               -
                    \(rows.joined(separator: "\n"))

                    """)

            // ./bin/kafka-topics.sh --delete --bootstrap-server localhost:9092 --topic hello_kafka
            let deleted = try await samsa(["topics", "--delete", "--topic", "hello_kafka"])
            #expect(deleted.standardOutput == "")
            #expect(deleted.standardError == "")
            #expect(deleted.status == 0)
            #expect(try await samsa(["topics", "--list"]).standardOutput == "__consumer_offsets\nhello\n")
            try await broker.stop()
        }

        private func topicId(_ broker: InProcessBroker, _ topic: String) async throws -> String {
            let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: [broker.bootstrapServer]))
            let id = try await admin.describeTopics([topic]).first?.topicId
            await admin.close()
            return id.map { "\($0)" } ?? "?"
        }
    }
}
