import ArgumentParser
import Foundation
import KafkaClient
import KafkaProtocol

/// `samsa topics`: kafka-topics.sh. Creates, lists, describes, alters and deletes topics with
/// Kafka 3.9's texts; failures during the command print "Error while executing topic command : …"
/// on stdout, as kafka-topics.sh does.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create, delete, describe, or change a topic (kafka-topics.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Flag(help: "Create a new topic.") var create = false
    @Flag(help: "List all available topics.") var list = false
    @Flag(help: "List details for the given topics.") var describe = false
    @Flag(help: "Alter the number of partitions. (To alter topic configurations, use samsa configs.)") var alter = false
    @Flag(help: "Delete a topic.") var delete = false

    @Option(help: "The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create.")
    var topic: String?

    @Option(
        help:
            "The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default."
    )
    var partitions: Int?

    @Option(
        help: "The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.")
    var replicationFactor: Int?

    @Option(help: ArgumentHelp("A topic configuration override for the topic being created. Repeatable.", valueName: "name=value"))
    var config: [String] = []

    @Flag(help: "If set when creating topics, the create request will not fail if the topic already exists.")
    var ifNotExists = false

    @Flag(help: "If set when altering or deleting or describing topics, the action will only execute if the topic exists.")
    var ifExists = false

    @Flag(help: "Exclude internal topics when listing or describing topics. By default, the internal topics are included.")
    var excludeInternal = false

    @Option(
        help: ArgumentHelp("Property file containing configs to be passed to the admin client.", valueName: "command config property file"))
    var commandConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        let actions = [create, list, describe, alter, delete].filter { $0 }.count
        guard actions == 1 else {
            throw CommandFailure.standardError("Command must include exactly one action: --list, --describe, --create, --alter or --delete")
        }
        if !list && !describe && topic == nil { throw CommandFailure.standardError("Missing required argument \"[topic]\"") }
        if alter && partitions == nil { throw CommandFailure.standardError("Missing required argument \"[partitions]\"") }
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            do {
                if create {
                    try await createTopic(admin)
                } else if list {
                    StandardStreams.out(try await matchingTopics(admin).joined(separator: "\n") + "\n")
                } else if describe {
                    try await describeTopics(admin)
                } else if alter {
                    let topics = try await existingTopics(admin)
                    if !topics.isEmpty {
                        try await admin.createPartitions(Dictionary(uniqueKeysWithValues: topics.map { ($0, Int32(partitions!)) }))
                    }
                } else {
                    let topics = try await existingTopics(admin)
                    if !topics.isEmpty { try await admin.deleteTopics(topics) }
                }
            } catch let error as KafkaError {
                throw Self.failure(error.toolMessage)
            }
        }
    }

    /// How kafka-topics.sh reports anything that goes wrong once the command runs.
    private static func failure(_ message: String) -> CommandFailure {
        .standardOutput("Error while executing topic command : \(message)")
    }

    private func createTopic(_ admin: KafkaAdminClient) async throws {
        let name = topic!
        if name.contains(".") || name.contains("_") {
            StandardStreams.out(
                "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n"
            )
        }
        if let replicationFactor, replicationFactor < 1 || replicationFactor > Int(Int16.max) {
            throw Self.failure("The replication factor must be between 1 and \(Int16.max) inclusive")
        }
        if let partitions, partitions < 1 { throw Self.failure("The partitions must be greater than 0") }
        var configs: [String: String] = [:]
        for assignment in config {
            let parts = assignment.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw Self.failure(
                    "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".")
            }
            configs[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let newTopic = NewTopic(
            name: name, numPartitions: partitions.map(Int32.init) ?? -1, replicationFactor: replicationFactor.map(Int16.init) ?? -1,
            topicConfigs: configs)
        do {
            try await admin.createTopics([newTopic])
        } catch {
            // Kafka sends the request and stays silent when the topic was already there.
            guard ifNotExists, error.errorCode == .topicAlreadyExists else { throw error }
            return
        }
        StandardStreams.out("Created topic \(name).\n")
    }

    /// All topics, sorted, narrowed to `--topic` (a regular expression, as Kafka's IncludeList).
    private func matchingTopics(_ admin: KafkaAdminClient) async throws -> [String] {
        var topics = try await admin.listTopics()
        if excludeInternal { topics.removeAll(where: Self.isInternal) }
        if let topic {
            guard let pattern = TopicPattern(topic) else { throw Self.failure("\(topic) is an invalid regex.") }
            topics = topics.filter(pattern.matches)
        }
        return topics
    }

    /// The topics `--topic` names; none and no `--if-exists` is Kafka's "does not exist as expected".
    private func existingTopics(_ admin: KafkaAdminClient) async throws -> [String] {
        let topics = try await matchingTopics(admin)
        if let topic, !topic.isEmpty, topics.isEmpty, !ifExists {
            throw Self.failure("Topic '\(topic)' does not exist as expected")
        }
        return topics
    }

    private func describeTopics(_ admin: KafkaAdminClient) async throws {
        let topics = try await existingTopics(admin)
        guard !topics.isEmpty else { return }
        let descriptions = try await admin.describeTopics(topics)
        let configs = try await admin.describeConfigs(topics.map { .topic($0) })
        var output = ""
        for description in descriptions {
            let overrides = (configs[.topic(description.name)] ?? [:]).values.filter { !$0.isDefault }.sorted { $0.name < $1.name }
            output += TopicDescriptionFormat.topicLine(description, overrides: overrides)
            for partition in description.partitions { output += TopicDescriptionFormat.partitionLine(partition, topic: description.name) }
        }
        StandardStreams.out(output)
    }

    /// Kafka's `Topic.isInternal`: the group and transaction state topics.
    static func isInternal(_ topic: String) -> Bool {
        topic == "__consumer_offsets" || topic == "__transaction_state"
    }
}
