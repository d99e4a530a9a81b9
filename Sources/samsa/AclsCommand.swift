import ArgumentParser
import KafkaClient

/// `samsa acls`: kafka-acls.sh. Adds (`--add`), lists (`--list`) and removes (`--remove`) the ACLs
/// of topics, groups, the cluster and transactional ids, printing what Kafka's tool prints.
struct AclsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acls", abstract: "Add, list or remove ACLs (kafka-acls.sh).")

    @OptionGroup var server: ServerOptions

    @Flag(help: "Indicates you are trying to add ACLs.") var add = false
    @Flag(help: "Indicates you are trying to remove ACLs.") var remove = false
    @Flag(help: "List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource.")
    var list = false
    @Flag(help: "Assume Yes to all queries and do not prompt.") var force = false

    @Option(help: ArgumentHelp("topic to which ACLs should be added or removed.", valueName: "topic")) var topic: [String] = []
    @Option(help: ArgumentHelp("Consumer Group to which the ACLs should be added or removed.", valueName: "group")) var group: [String] = []
    @Flag(help: "Add/Remove cluster ACLs.") var cluster = false
    @Option(help: ArgumentHelp("The transactionalId to which ACLs should be added or removed.", valueName: "transactional-id"))
    var transactionalId: [String] = []
    @Option(
        help: ArgumentHelp(
            "The type of the resource pattern or pattern filter: LITERAL or PREFIXED when adding, also ANY or MATCH when listing or removing.",
            valueName: "ANY|MATCH|LITERAL|PREFIXED"))
    var resourcePatternType = "LITERAL"

    @Option(help: ArgumentHelp("principal is in principalType:name format.", valueName: "allow-principal")) var allowPrincipal: [String] =
        []
    @Option(help: ArgumentHelp("principal is in principalType:name format.", valueName: "deny-principal")) var denyPrincipal: [String] = []
    @Option(help: ArgumentHelp("Host from which principals listed in --allow-principal will have access.", valueName: "allow-host"))
    var allowHost: [String] = []
    @Option(help: ArgumentHelp("Host from which principals listed in --deny-principal will be denied access.", valueName: "deny-host"))
    var denyHost: [String] = []
    @Option(
        help: ArgumentHelp(
            "Operation that is being allowed or denied: Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All.",
            valueName: "operation"))
    var operation: [String] = []
    @Option(help: ArgumentHelp("A property file containing configs to be passed to Admin Client.", valueName: "command-config"))
    var commandConfig: String?

    static let operationsByName: [String: KafkaAclOperation] = [
        "all": .all, "read": .read, "write": .write, "create": .create, "delete": .delete, "alter": .alter, "describe": .describe,
        "clusteraction": .clusterAction, "describeconfigs": .describeConfigs, "alterconfigs": .alterConfigs,
        "idempotentwrite": .idempotentWrite,
    ]
    static let patternTypesByName: [String: KafkaAclPatternType] = [
        "any": .any, "match": .match, "literal": .literal, "prefixed": .prefixed,
    ]

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        guard [add, remove, list].filter({ $0 }).count == 1 else {
            throw CommandFailure.standardError("Command must include exactly one action: --list, --add, --remove. ")
        }
        guard let patternType = Self.patternTypesByName[resourcePatternType.lowercased()] else {
            throw CommandFailure.standardError("Invalid --resource-pattern-type: \(resourcePatternType)")
        }
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        let resources = self.resources()
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            if add {
                guard patternType == .literal || patternType == .prefixed else {
                    throw CommandFailure.standardError(
                        "A '--resource-pattern-type' value of '\(resourcePatternType)' is not valid when adding acls.")
                }
                let entries = try self.entries()
                for (resourceType, name) in resources {
                    let bindings = entries.map {
                        KafkaAclBinding(
                            resourceType: resourceType, resourceName: name, patternType: patternType, principal: $0.principal,
                            host: $0.host,
                            operation: $0.operation, permissionType: $0.permissionType)
                    }
                    StandardStreams.out(Self.block("Adding ACLs for resource", bindings))
                    try await admin.createAcls(bindings)
                }
            } else if remove {
                for (resourceType, name) in resources {
                    try await admin.deleteAcls([
                        KafkaAclBindingFilter(resourceType: resourceType, resourceName: name, patternType: patternType)
                    ])
                }
            }
            let filters =
                resources.isEmpty
                ? [KafkaAclBindingFilter()]
                : resources.map { KafkaAclBindingFilter(resourceType: $0.0, resourceName: $0.1, patternType: list ? patternType : .any) }
            for filter in filters {
                let bindings = try await admin.describeAcls(filter)
                let byResource = Dictionary(grouping: bindings) { ResourceKey(binding: $0) }
                for key in byResource.keys.sorted(by: { $0.description < $1.description }) {
                    StandardStreams.out(Self.block("Current ACLs for resource", byResource[key]!))
                }
            }
        }
    }

    private func resources() -> [(KafkaAclResourceType, String)] {
        topic.map { (.topic, $0) } + group.map { (.group, $0) } + transactionalId.map { (.transactionalId, $0) }
            + (cluster ? [(.cluster, "kafka-cluster")] : [])
    }

    private func entries() throws(CommandFailure) -> [(
        principal: String, host: String, operation: KafkaAclOperation, permissionType: KafkaAclPermissionType
    )] {
        guard !allowPrincipal.isEmpty || !denyPrincipal.isEmpty else {
            throw .standardError("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.")
        }
        var operations: [KafkaAclOperation] = []
        for name in operation.isEmpty ? ["All"] : operation {
            guard let known = Self.operationsByName[name.lowercased()] else { throw .standardError("Unknown operation: \(name)") }
            operations.append(known)
        }
        func entries(_ principals: [String], _ hosts: [String], _ permission: KafkaAclPermissionType) -> [(
            String, String, KafkaAclOperation, KafkaAclPermissionType
        )] {
            principals.flatMap { principal in
                (hosts.isEmpty ? ["*"] : hosts).flatMap { host in operations.map { (principal, host, $0, permission) } }
            }
        }
        return entries(allowPrincipal, allowHost, .allow) + entries(denyPrincipal, denyHost, .deny)
    }

    /// Kafka's block: a header naming the resource, one tab-indented entry a line, a blank line.
    static func block(_ header: String, _ bindings: [KafkaAclBinding]) -> String {
        let resource = ResourceKey(binding: bindings[0]).description
        let lines = bindings.map { "\t" + entryText($0) }.sorted().joined(separator: "\n")
        return "\(header) `\(resource)`: \n \(lines) \n\n"
    }

    static func entryText(_ binding: KafkaAclBinding) -> String {
        "(principal=\(binding.principal), host=\(binding.host), operation=\(operationName(binding.operation)), permissionType=\(binding.permissionType == .allow ? "ALLOW" : "DENY"))"
    }

    static func operationName(_ operation: KafkaAclOperation) -> String {
        let names: [KafkaAclOperation: String] = [
            .all: "ALL", .read: "READ", .write: "WRITE", .create: "CREATE", .delete: "DELETE", .alter: "ALTER", .describe: "DESCRIBE",
            .clusterAction: "CLUSTER_ACTION", .describeConfigs: "DESCRIBE_CONFIGS", .alterConfigs: "ALTER_CONFIGS",
            .idempotentWrite: "IDEMPOTENT_WRITE",
        ]
        return names[operation] ?? "UNKNOWN"
    }

    /// Kafka's `ResourcePattern` text, which groups the listing.
    struct ResourceKey: Hashable, CustomStringConvertible {
        var resourceType: KafkaAclResourceType
        var name: String
        var patternType: KafkaAclPatternType

        init(binding: KafkaAclBinding) {
            resourceType = binding.resourceType
            name = binding.resourceName
            patternType = binding.patternType
        }

        var description: String {
            let types: [KafkaAclResourceType: String] = [
                .topic: "TOPIC", .group: "GROUP", .cluster: "CLUSTER", .transactionalId: "TRANSACTIONAL_ID",
                .delegationToken: "DELEGATION_TOKEN", .user: "USER",
            ]
            let type = types[resourceType] ?? "UNKNOWN"
            return "ResourcePattern(resourceType=\(type), name=\(name), patternType=\(patternType == .prefixed ? "PREFIXED" : "LITERAL"))"
        }
    }
}
