import ArgumentParser
import Foundation
import KafkaClient

/// `samsa configs`: kafka-configs.sh for topics, brokers and users. `--describe` lists the settings
/// set on the entity (all of them with `--all`) with their synonyms; `--alter` sets and removes topic
/// settings and dynamic broker configs, for one broker or (`--entity-default`) the cluster-wide
/// default. A user's settings are its SCRAM credentials: `--add-config
/// 'SCRAM-SHA-256=[iterations=8192,password=…]'` and `--delete-config SCRAM-SHA-256`, as in Kafka.
struct ConfigsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configs",
        abstract: "Add, change, remove or list the settings of topics and brokers and users' SCRAM credentials (kafka-configs.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Flag(help: "List configs for the given entity.") var describe = false
    @Flag(help: "Alter the configuration for the entity.") var alter = false
    @Flag(help: "List all configs for the given entity, including static configs if available.") var all = false

    @Option(help: "Type of entity (topics/brokers/users).") var entityType: String?
    @Option(help: "Name of entity (topic name/broker id/user principal name).") var entityName: String?
    @Flag(help: "Default entity name for clients/users/brokers/ips (applies to corresponding entity type in command line)")
    var entityDefault = false
    @Option(help: "The topic's name (the same as --entity-type topics --entity-name NAME).") var topic: String?
    @Option(help: "The broker's ID (the same as --entity-type brokers --entity-name ID).") var broker: String?
    @Flag(help: "The config defaults for all brokers (the same as --entity-type brokers --entity-default).") var brokerDefaults = false
    @Option(help: "The user's principal name (the same as --entity-type users --entity-name NAME).") var user: String?

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
                if entity.type == .users {
                    try await userCredentials(admin, user: entity.name)
                } else if describe {
                    try await describeConfigs(admin, type: entity.type, name: entity.name)
                } else {
                    guard let name = entity.name else {
                        throw CommandFailure.standardError("An entity name must be specified with --alter of \(entity.type.plural)")
                    }
                    try await alterConfigs(admin, type: entity.type, name: name)
                    StandardStreams.out(
                        name.isEmpty
                            ? "Completed updating default config for \(entity.type.plural) in the cluster.\n"
                            : "Completed updating config for \(entity.type.singular) \(name).\n")
                }
            } catch let error as KafkaError {
                throw CommandFailure.standardError(
                    "Error while executing config command with args '\(CommandLine.arguments.dropFirst(2).joined(separator: " "))': \(error.toolMessage)"
                )
            }
        }
    }

    /// The entity from `--entity-type/--entity-name` (or `--entity-default`, an empty name) or from
    /// the `--topic`/`--broker`/`--broker-defaults` shorthands.
    private func selectedEntity() throws(CommandFailure) -> (type: ConfigEntityType, name: String?) {
        let shorthand: (ConfigEntityType, String)? =
            topic.map { (.topics, $0) } ?? broker.map { (.brokers, $0) } ?? user.map { (.users, $0) }
            ?? (brokerDefaults ? (.brokers, "") : nil)
        if let shorthand {
            guard entityType == nil, entityName == nil, !entityDefault else {
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
        if entityDefault {
            guard type == .brokers else { throw .standardError("--entity-default is not a valid option for \(type.plural)") }
            guard entityName == nil else { throw .standardError("Only one of --entity-name or --entity-default may be given") }
            return (type, "")
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
            // As kafka-configs.sh: every broker, then the cluster-wide default.
            names = try await admin.brokerIds().map { "\($0)" } + [""]
        }
        var output = ""
        for name in names {
            let resource = KafkaConfigResource(type: type.resourceType, name: name)
            let entries = try await admin.describeConfigs([resource], includeSynonyms: true)[resource] ?? [:]
            output +=
                name.isEmpty
                ? "Default configs for \(type.plural) in the cluster are:\n"
                : "\(all ? "All" : "Dynamic") configs for \(type.singular) \(name) are:\n"
            let dynamicSource = type.dynamicSource(name: name)
            for entry in entries.values.sorted(by: { $0.name < $1.name }) where all || entry.source == dynamicSource {
                let synonyms = entry.synonyms.map { "\($0.source):\($0.name)=\($0.value ?? "null")" }.joined(separator: ", ")
                output += "  \(entry.name)=\(entry.value ?? "null") sensitive=\(entry.isSensitive) synonyms={\(synonyms)}\n"
            }
        }
        StandardStreams.out(output)
    }

    /// Kafka checks the settings to delete against those set on the entity, then sends the changes.
    private func alterConfigs(_ admin: KafkaAdminClient, type: ConfigEntityType, name: String) async throws {
        let resource = KafkaConfigResource(type: type.resourceType, name: name)
        let additions = try ConfigAssignments.parse(addConfig ?? "")
        let deletions = deleteConfig.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let current = try await admin.describeConfigs([resource])[resource] ?? [:]
        let dynamicSource = type.dynamicSource(name: name)
        let unset = deletions.filter { current[$0]?.source != dynamicSource }
        if !unset.isEmpty { throw CommandFailure.standardError("Invalid config(s): \(unset.joined(separator: ","))") }
        if !additions.isEmpty { try await admin.alterConfigs([resource: additions]) }
        if !deletions.isEmpty { try await admin.deleteConfigs([resource: deletions]) }
    }

    /// `--describe` prints each user's mechanisms and iteration counts as kafka-configs.sh does;
    /// `--alter` salts the passwords of `--add-config` here and sends them with the deletions of
    /// `--delete-config` in one AlterUserScramCredentials.
    private func userCredentials(_ admin: KafkaAdminClient, user: String?) async throws {
        if describe {
            var output = ""
            for description in try await admin.describeUserScramCredentials(user.map { [$0] }) {
                if let error = description.error {
                    output +=
                        "Error retrieving SCRAM credential configs for user-principal '\(description.user)': ExecutionException: \(JavaExceptionName.describing(error))\n"
                } else {
                    let credentials = description.credentials.map { "\($0.mechanism.name)=iterations=\($0.iterations)" }
                    output +=
                        "SCRAM credential configs for user-principal '\(description.user)' are \(credentials.joined(separator: ", "))\n"
                }
            }
            StandardStreams.out(output)
            return
        }
        guard let user else { throw CommandFailure.standardError("An entity name must be specified with --alter of users") }
        var alterations: [KafkaUserScramCredentialAlteration] = []
        for (key, value) in try ConfigAssignments.parse(addConfig ?? "") {
            guard let mechanism = KafkaScramMechanism(name: key) else {
                throw CommandFailure.standardError("Invalid config(s): \(key)")
            }
            let fields = try ConfigAssignments.parse(value)
            guard let password = fields["password"] else {
                throw CommandFailure.standardError("requirement failed: SCRAM credential for \(mechanism.name) must include password")
            }
            let iterations = try fields["iterations"].map { text throws(CommandFailure) in
                guard let count = Int32(text) else { throw .standardError("Invalid iterations \(text) for \(mechanism.name)") }
                return count
            }
            alterations.append(.upsertion(user: user, mechanism: mechanism, password: password, iterations: iterations ?? 4096))
        }
        for name in deleteConfig.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }) {
            guard let mechanism = KafkaScramMechanism(name: name) else { throw CommandFailure.standardError("Invalid config(s): \(name)") }
            alterations.append(.deletion(user: user, mechanism: mechanism))
        }
        try await admin.alterUserScramCredentials(alterations)
        StandardStreams.out("Completed updating config for user \(user).\n")
    }
}
