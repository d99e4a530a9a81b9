import ArgumentParser
import Foundation
import KafkaClient

/// `samsa log-dirs`: kafka-log-dirs.sh. `--describe` prints each broker's log directories and
/// the size and offset lag of the partitions in them, as Kafka's one JSON line.
struct LogDirsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-dirs",
        abstract: "Describe the log directories of brokers (kafka-log-dirs.sh)."
    )

    // `--broker-list` means broker ids here, so this tool cannot share `ServerOptions`.
    @Option(help: ArgumentHelp("REQUIRED: the server(s) to use for bootstrapping", valueName: "The server(s) to use for bootstrapping"))
    var bootstrapServer: String?

    @Flag(help: "Describe the specified log directories on the specified brokers.") var describe = false

    @Option(
        help: ArgumentHelp(
            "The list of topics to be queried in the form \"topic1,topic2,topic3\". All topics will be queried if no topic list is specified",
            valueName: "Topic list"))
    var topicList = ""

    @Option(
        help: ArgumentHelp(
            "The list of brokers to be queried in the form \"0,1,2\". All brokers in the cluster will be queried if no broker list is specified",
            valueName: "Broker list"))
    var brokerList: String?

    @Option(help: ArgumentHelp("Property file containing configs to be passed to Admin Client.", valueName: "Admin client property file"))
    var commandConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        guard let bootstrapServer, !bootstrapServer.isEmpty else {
            throw CommandFailure.standardError("Missing required argument \"[bootstrap-server]\"")
        }
        guard describe else { throw CommandFailure.standardError("Missing required argument \"[describe]\"") }
        let topics = Set(topicList.split(separator: ",").map(String.init).filter { !$0.isEmpty })
        var requestedBrokers: [Int32]?
        if let brokerList {
            requestedBrokers = try brokerList.split(separator: ",").map { (id) throws(CommandFailure) -> Int32 in
                guard let id = Int32(id.trimmingCharacters(in: .whitespaces)) else {
                    throw .standardError("Invalid broker id in --broker-list: \(id)")
                }
                return id
            }
        }
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        let servers = bootstrapServer.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            let existing = try await admin.brokerIds()
            let brokers = requestedBrokers ?? existing
            let missing = brokers.filter { !existing.contains($0) }
            if !missing.isEmpty {
                throw CommandFailure.standardError(
                    "ERROR: The given brokers do not exist from --broker-list: \(missing.map(String.init).joined(separator: ",")). Current existent brokers: \(existing.map(String.init).joined(separator: ","))"
                )
            }
            StandardStreams.out("Querying brokers for log directories information\n")
            let descriptions = try await admin.describeLogDirs(brokers: brokers)
            StandardStreams.out("Received log directory information from brokers \(brokers.map(String.init).joined(separator: ","))\n")
            StandardStreams.out(LogDirsJSON.format(descriptions, brokers: brokers, topics: topics) + "\n")
        }
    }
}

/// kafka-log-dirs.sh's JSON line, with its keys in the order Kafka's tool prints them.
enum LogDirsJSON {
    static func format(_ descriptions: [Int32: [KafkaLogDirDescription]], brokers: [Int32], topics: Set<String>) -> String {
        let brokerObjects = brokers.map { broker in
            let logDirs = (descriptions[broker] ?? []).map { directory in
                let partitions = directory.replicas.filter { topics.isEmpty || topics.contains($0.key.topic) }.sorted { $0.key < $1.key }
                    .map {
                        "{\"partition\":\(string($0.key.description)),\"size\":\($0.value.size),\"offsetLag\":\($0.value.offsetLag),\"isFuture\":\($0.value.isFuture)}"
                    }
                let error = directory.error.map { string("org.apache.kafka.common.errors.\(JavaExceptionName.name(of: $0))") } ?? "null"
                return "{\"partitions\":[\(partitions.joined(separator: ","))],\"error\":\(error),\"logDir\":\(string(directory.path))}"
            }
            return "{\"broker\":\(broker),\"logDirs\":[\(logDirs.joined(separator: ","))]}"
        }
        return "{\"brokers\":[\(brokerObjects.joined(separator: ","))],\"version\":1}"
    }

    /// A JSON string literal, escaped as Jackson writes it.
    static func string(_ value: String) -> String {
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
