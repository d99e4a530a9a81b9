import Foundation
import KafkaBroker
import KafkaClient
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// `samsa transactions list|describe` (kafka-transactions.sh) and `samsa console-consumer
    /// --isolation-level`, as child processes, with transactions of the SDK's producer.
    @Suite("samsa transactions and read_committed console-consumer", .serialized, .timeLimit(.minutes(2)))
    struct TransactionsToolTests {
        func transactionalProducer(_ bootstrap: String, id: String) throws -> KafkaProducer {
            var configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrap])
            configuration.transactionalId = id
            configuration.transactionTimeoutMs = 30_000
            return try KafkaProducer(configuration: configuration)
        }

        @Test func listAndDescribeShowAnOpenTransactionAsKafkasTool() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "orders", "--partitions", "2"] + server)
            let producer = try transactionalProducer(broker.bootstrapServer, id: "order-copier")
            try await producer.initTransactions()
            try await producer.beginTransaction()
            _ = try await producer.send(topic: "orders", value: "open", partition: 1)

            let listed = try await SamsaCommand.run(["transactions"] + server + ["list"])
            let listLines = listed.standardOutput.split(separator: "\n").map(String.init)
            #expect(listLines.first == "TransactionalId\tCoordinator\tProducerId\tTransactionState\t")
            let row = try #require(listLines.dropFirst().first { $0.hasPrefix("order-copier") }, "\(listed)")
            #expect(row.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }.last == "Ongoing")

            let described = try await SamsaCommand.run(["transactions"] + server + ["describe", "--transactional-id", "order-copier"])
            let describeLines = described.standardOutput.split(separator: "\n").map(String.init)
            #expect(describeLines.count == 2, "\(described)")
            #expect(
                describeLines.first?.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } == [
                    "CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState", "TransactionTimeoutMs",
                    "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions",
                ])
            let values = describeLines.last?.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            #expect(values.count == 9)
            #expect(values.dropFirst().first == "order-copier")
            #expect(values.dropFirst(4).first == "Ongoing")
            #expect(values.dropFirst(5).first == "30000")
            #expect(values.last == "orders-1")

            try await producer.commitTransaction()
            let afterCommit = try await SamsaCommand.run(["transactions"] + server + ["describe", "--transactional-id", "order-copier"])
            let committedValues =
                afterCommit.standardOutput.split(separator: "\n").last?.split(separator: "\t").map {
                    $0.trimmingCharacters(in: .whitespaces)
                } ?? []
            #expect(committedValues.dropFirst(4).first == "CompleteCommit")
            #expect(committedValues.dropFirst(6).first == "None", "no open transaction, no start time")

            let missingId = try await SamsaCommand.run(["transactions"] + server + ["describe"])
            #expect(missingId.standardError == "Missing required argument \"[transactional-id]\"\n")
            #expect(missingId.status == 1)
            await producer.close()
            try await broker.stop()
        }

        @Test func consoleConsumerReadsCommittedRecordsOnlyAtReadCommitted() async throws {
            let broker = try await InProcessBroker.start()
            let server = ["--bootstrap-server", broker.bootstrapServer]
            _ = try await SamsaCommand.run(["topics", "--create", "--topic", "payments"] + server)
            let producer = try transactionalProducer(broker.bootstrapServer, id: "payer")
            try await producer.initTransactions()
            for (value, commit) in [("committed-1", true), ("aborted", false), ("committed-2", true)] {
                try await producer.beginTransaction()
                _ = try await producer.send(topic: "payments", value: value)
                if commit { try await producer.commitTransaction() } else { try await producer.abortTransaction() }
            }
            await producer.close()

            let committed = try await SamsaCommand.run(
                [
                    "console-consumer", "--topic", "payments", "--from-beginning", "--isolation-level", "read_committed", "--timeout-ms",
                    "2000",
                ]
                    + server)
            #expect(committed.standardOutput == "committed-1\ncommitted-2\n")
            #expect(committed.standardError.hasPrefix("Processed a total of 2 messages"), "markers are not messages: \(committed)")
            let everything = try await SamsaCommand.run(
                [
                    "console-consumer", "--topic", "payments", "--from-beginning", "--isolation-level", "read_uncommitted", "--timeout-ms",
                    "2000",
                ]
                    + server)
            #expect(everything.standardOutput == "committed-1\naborted\ncommitted-2\n")
            let latest = try #require(broker.broker.inspector.latestRecords(topic: "payments"))
            #expect(latest.count == 3, "the console's latest records leave the 3 transaction markers out")
            #expect(broker.broker.inspector.trafficTotals().messagesIn == 3, "nor do the messages-in metrics count them")
            try await broker.stop()
        }
    }
}
