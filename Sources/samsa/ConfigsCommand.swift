import ArgumentParser
import Foundation
import KafkaClient

/// `samsa configs`: kafka-configs.sh for topics and brokers. `--describe` lists the settings set
/// on the entity (all of them with `--all`) with their synonyms; `--alter` sets and removes topic
/// settings.
struct ConfigsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configs",
        abstract: "Add, change, remove or list the settings of topics and brokers (kafka-configs.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Flag(help: "List configs for the given entity.") var describe = false
    @Flag(help: "Alter the configuration for the entity.") var alter = false
    @Flag(help: "List all configs for the given entity, including static configs if available.") var all = false

    @Option(help: "Type of entity (topics/brokers).") var entityType: String?
    @Option(help: "Name of entity (topic name/broker id).") var entityName: String?
    @Option(help: "The topic's name (the same as --entity-type topics --entity-name NAME).") var topic: String?
    @Option(help: "The broker's ID (the same as --entity-type brokers --entity-name ID).") var broker: String?

    @Option(
        help:
            "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'."
    )
    var addConfig: String?

    @Option(help: "config keys to remove 'k1,k2'") var deleteConfig: [String] = []

    @Option(
        help: ArgumentHelp("Property file containing configs to be passed to the admin client.", valueName: "command config property file"))
    var commandConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        guard [describe, alter].filter({ $0 }).count == 1 else {
            throw CommandFailure.standardError("Command must include exactly one action: --describe, --alter")
        }
        let entity = try selectedEntity()
        if describe, addConfig != nil || !deleteConfig.isEmpty {
            throw CommandFailure.standardError("Option \"[describe]\" can't be used with option \"[add-config]\" or \"[delete-config]\"")
        }
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            do {
                if describe {
                    try await describeConfigs(admin, type: entity.type, name: entity.name)
                } else {
                    guard let name = entity.name else {
                        throw CommandFailure.standardError("An entity name must be specified with --alter of \(entity.type.plural)")
                    }
                    try await alterConfigs(admin, resource: KafkaConfigResource(type: entity.type.resourceType, name: name))
                    StandardStreams.out("Completed updating config for \(entity.type.singular) \(name).\n")
                }
            } catch let error as KafkaError {
                throw CommandFailure.standardError(
                    "Error while executing config command with args '\(CommandLine.arguments.dropFirst(2).joined(separator: " "))': \(error.toolMessage)"
                )
            }
        }
    }

    /// The entity from `--entity-type/--entity-name` or from the `--topic`/`--broker` shorthands.
    private func selectedEntity() throws(CommandFailure) -> (type: ConfigEntityType, name: String?) {
        let shorthand: (ConfigEntityType, String)? = topic.map { (.topics, $0) } ?? broker.map { (.brokers, $0) }
        if let shorthand {
            guard entityType == nil, entityName == nil else {
                throw .standardError("--entity-{type,name,default} should not be used in conjunction with specific entity flags")
            }
            return (shorthand.0, shorthand.1)
        }
        guard let entityType else { throw .standardError("At least one entity type must be specified") }
        guard let type = ConfigEntityType(rawValue: entityType) else {
            throw .standardError(
                "Invalid entity type \(entityType), the entity type must be one of \(ConfigEntityType.allCases.map(\.rawValue).joined(separator: ", ")) with a --bootstrap-server argument"
            )
        }
        if type == .brokers, let entityName, Int32(entityName) == nil {
            throw .standardError("The entity name for brokers must be a valid integer broker id, but it is: \(entityName)")
        }
        return (type, entityName)
    }

    private func describeConfigs(_ admin: KafkaAdminClient, type: ConfigEntityType, name: String?) async throws {
        let names: [String]
        if let name {
            names = [name]
        } else if type == .topics {
            names = try await admin.listTopics()
        } else {
            throw CommandFailure.standardError("An entity name must be specified with --describe of brokers")
        }
        var output = ""
        for name in names {
            let resource = KafkaConfigResource(type: type.resourceType, name: name)
            let entries = try await admin.describeConfigs([resource], includeSynonyms: true)[resource] ?? [:]
            output += "\(all ? "All" : "Dynamic") configs for \(type.singular) \(name) are:\n"
            for entry in entries.values.sorted(by: { $0.name < $1.name }) where all || entry.source == type.dynamicSource {
                let synonyms = entry.synonyms.map { "\($0.source):\($0.name)=\($0.value ?? "null")" }.joined(separator: ", ")
                output += "  \(entry.name)=\(entry.value ?? "null") sensitive=\(entry.isSensitive) synonyms={\(synonyms)}\n"
            }
        }
        StandardStreams.out(output)
    }

    /// Kafka checks the settings to delete against those set, then sends the changes in one go.
    private func alterConfigs(_ admin: KafkaAdminClient, resource: KafkaConfigResource) async throws {
        let additions = try ConfigAssignments.parse(addConfig ?? "")
        let deletions = deleteConfig.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let current = try await admin.describeConfigs([resource])[resource] ?? [:]
        let unset = deletions.filter { current[$0].map { $0.isDefault } ?? true }
        if !unset.isEmpty { throw CommandFailure.standardError("Invalid config(s): \(unset.joined(separator: ","))") }
        if !additions.isEmpty { try await admin.alterConfigs([resource: additions]) }
        if !deletions.isEmpty { try await admin.deleteConfigs([resource: deletions]) }
    }
}
