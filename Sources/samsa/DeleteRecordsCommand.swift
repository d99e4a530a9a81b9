import ArgumentParser
import Foundation
import KafkaClient

/// `samsa delete-records`: kafka-delete-records.sh. Deletes the records below the offsets the
/// JSON file names, `{"partitions": [{"topic": "t", "partition": 0, "offset": 5}], "version": 1}`
/// (offset -1: the high watermark), and prints each partition's new low watermark or error.
struct DeleteRecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete-records",
        abstract: "Delete the records of partitions below given offsets (kafka-delete-records.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Option(
        help: ArgumentHelp(
            "REQUIRED: The JSON file with offset per partition. The format to use is:\n{\"partitions\":\n  [{\"topic\": \"foo\", \"partition\": 1, \"offset\": 1}],\n \"version\":1\n}",
            valueName: "Offset json file path"))
    var offsetJsonFile: String?

    @Option(
        help: ArgumentHelp(
            "A property file containing configs to be passed to Admin Client.", valueName: "command config property file path"))
    var commandConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        guard let offsetJsonFile else { throw CommandFailure.standardError("Missing required argument \"[offset-json-file]\"") }
        let text: String
        do {
            text = try readTextFile(offsetJsonFile)
        } catch {
            throw CommandFailure.standardError("\(offsetJsonFile) (No such file or directory)")
        }
        let offsets = try OffsetJsonFile.parse(text)
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            StandardStreams.out("Executing records delete operation\n")
            let results = try await admin.deleteRecordsByPartition(offsets)
            var output = "Records delete operation completed:\n"
            for (topicPartition, result) in results.sorted(by: { $0.key < $1.key }) {
                switch result {
                case .success(let lowWatermark): output += "partition: \(topicPartition)\tlow_watermark: \(lowWatermark)\n"
                case .failure(let error): output += "partition: \(topicPartition)\terror: \(JavaExceptionName.describing(error))\n"
                }
            }
            StandardStreams.out(output)
        }
    }
}

/// The offset JSON file of kafka-delete-records.sh, with its error texts.
enum OffsetJsonFile {
    static func parse(_ text: String) throws(CommandFailure) -> [TopicPartition: Int64] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw .standardError("The input string is not a valid JSON")
        }
        let version = object["version"].map { ($0 as? Int) ?? -1 } ?? 1
        guard version == 1 else { throw .standardError("Not supported version field value \(version)") }
        guard let partitions = object["partitions"] as? [[String: Any]] else { throw .standardError("Missing partitions field") }
        var offsets: [TopicPartition: Int64] = [:]
        var duplicates: [TopicPartition] = []
        for entry in partitions {
            guard let topic = entry["topic"] as? String, let partition = entry["partition"] as? Int, let offset = entry["offset"] as? Int
            else { throw .standardError("Each partition needs a string topic and integer partition and offset: \(entry)") }
            let topicPartition = TopicPartition(topic: topic, partition: Int32(partition))
            if offsets.updateValue(Int64(offset), forKey: topicPartition) != nil, !duplicates.contains(topicPartition) {
                duplicates.append(topicPartition)
            }
        }
        guard duplicates.isEmpty else {
            throw .standardError(
                "Offset json file contains duplicate topic partitions: \(duplicates.map(\.description).joined(separator: ","))")
        }
        return offsets
    }
}
