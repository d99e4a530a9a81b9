import ArgumentParser
import Foundation
import KafkaClient

/// `samsa transactions`: kafka-transactions.sh's `list` and `describe`, with its tables (each
/// column padded to its widest value and followed by a tab).
struct TransactionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transactions",
        abstract: "List transactional ids or describe one's transaction (kafka-transactions.sh list | describe)."
    )

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case list, describe
    }

    @Argument(help: "list: every transactional id and its state; describe: the transaction of --transactional-id")
    var action: Action

    @OptionGroup var server: ServerOptions

    @Option(help: ArgumentHelp("Transactional id to describe (describe only)", valueName: "transactional id"))
    var transactionalId: String?

    @Option(help: ArgumentHelp("Property file containing configs to be passed to Admin Client.", valueName: "command config"))
    var commandConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        if action == .describe && (transactionalId ?? "").isEmpty {
            throw CommandFailure.standardError("Missing required argument \"[transactional-id]\"")
        }
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            switch action {
            case .list:
                let rows = try await admin.listTransactions().map {
                    [$0.transactionalId, String($0.coordinatorId), String($0.producerId), $0.state]
                }
                StandardStreams.out(TransactionsTable.format(TransactionsTable.listHeaders, rows))
            case .describe:
                let description = try await admin.describeTransaction(transactionalId ?? "")
                let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
                StandardStreams.out(
                    TransactionsTable.format(TransactionsTable.describeHeaders, [TransactionsTable.describeRow(description, nowMs: nowMs)]))
            }
        }
    }
}

/// kafka-transactions.sh's tables.
enum TransactionsTable {
    static let listHeaders = ["TransactionalId", "Coordinator", "ProducerId", "TransactionState"]
    static let describeHeaders = [
        "CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState", "TransactionTimeoutMs",
        "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions",
    ]

    /// Kafka prints "None" for the start time and duration of a transactional id with no open transaction.
    static func describeRow(_ description: KafkaTransactionDescription, nowMs: Int64) -> [String] {
        [
            String(description.coordinatorId), description.transactionalId, String(description.producerId),
            String(description.producerEpoch), description.state, String(description.transactionTimeoutMs),
            description.transactionStartTimeMs.map(String.init) ?? "None",
            description.transactionStartTimeMs.map { String(nowMs - $0) } ?? "None",
            description.topicPartitions.map(\.description).joined(separator: ","),
        ]
    }

    /// Each value left-aligned to its column's widest value, then a tab (trailing tab included).
    static func format(_ headers: [String], _ rows: [[String]]) -> String {
        let widths = headers.indices.map { column in ([headers] + rows).map { $0[column].count }.max() ?? 0 }
        return ([headers] + rows).map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) + "\t" }.joined() + "\n"
        }.joined()
    }
}
