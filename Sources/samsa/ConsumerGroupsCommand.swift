import ArgumentParser
import KafkaClient

/// `samsa consumer-groups`: kafka-consumer-groups.sh. Lists, describes (offsets and lag,
/// members, state), deletes groups and resets their offsets, with Kafka 3.9's tables and texts.
struct ConsumerGroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer-groups",
        abstract:
            "List all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets (kafka-consumer-groups.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Flag(help: "List all consumer groups.") var list = false
    @Flag(help: "Describe consumer group and list offset lag (number of messages not yet processed) related to given group.") var describe =
        false
    @Flag(help: "Pass in groups to delete topic partition offsets and ownership information over the entire consumer group.") var delete =
        false
    @Flag(help: "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive.")
    var resetOffsets = false

    @Option(help: "The consumer group we wish to act on.") var group: [String] = []
    @Flag(help: "Apply to all consumer groups.") var allGroups = false
    @Option(
        help: ArgumentHelp(
            "The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`.",
            valueName: "topic"))
    var topic: [String] = []
    @Flag(help: "Consider all topics assigned to a group in the `reset-offsets` process.") var allTopics = false

    @Flag(help: "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.")
    var members = false
    @Flag(
        help: "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action.")
    var offsets = false
    @Flag(help: "When specified with '--describe', includes the state of the group. With '--list', shows the state of each group.")
    var state = false
    @Flag(help: "Provide additional information, if any, when describing the group.") var verbose = false

    @Flag(help: "Reset offsets to earliest offset.") var toEarliest = false
    @Flag(help: "Reset offsets to latest offset.") var toLatest = false
    @Flag(help: "Reset offsets to current offset.") var toCurrent = false
    @Option(help: "Reset offsets to a specific offset.") var toOffset: Int64?
    @Option(help: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.") var shiftBy: Int64?
    @Flag(help: "Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.") var dryRun = false
    @Flag(help: "Execute operation. Supported operations: reset-offsets.") var execute = false

    @Option(
        help: ArgumentHelp("Property file containing configs to be passed to the admin client.", valueName: "command config property file"))
    var commandConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        guard [list, describe, delete, resetOffsets].filter({ $0 }).count == 1 else {
            throw CommandFailure.standardError(
                "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets")
        }
        if (describe || delete || resetOffsets) && group.isEmpty && !allGroups {
            let action = describe ? "--describe" : delete ? "--delete" : "--reset-offsets"
            throw CommandFailure.standardError("Option [\(action)] takes one of these options: [all-groups], [group]")
        }
        if resetOffsets { try checkResetArguments() }
        var properties = ClientProperties()
        if let commandConfig { try properties.add(file: commandConfig) }
        try await ToolClients.withAdmin(servers: servers, properties: properties) { admin in
            do {
                let service = ConsumerGroupService(admin: admin)
                let groups = allGroups ? try await service.consumerGroupIds() : group
                if list {
                    try await listGroups(service)
                } else if describe {
                    try await describeGroups(groups, service)
                } else if delete {
                    try await deleteGroups(groups, admin)
                } else {
                    try await resetGroupOffsets(groups, service)
                }
            } catch let error as KafkaError {
                throw CommandFailure.standardOutput(
                    "\nError: Executing consumer group command failed due to \(JavaExceptionName.describing(error))")
            }
        }
    }

    private func listGroups(_ service: ConsumerGroupService) async throws {
        let listings = try await service.consumerGroups()
        guard state else {
            StandardStreams.out(listings.map { "\($0.groupId)\n" }.joined())
            return
        }
        let width = (listings.map { max(15, $0.groupId.count) }.max() ?? 15) + 10
        var output = JavaFormat.columns(["GROUP", "STATE"], widths: [width, 20]) + "\n"
        for listing in listings { output += JavaFormat.columns([listing.groupId, listing.state], widths: [width, 20]) + "\n" }
        StandardStreams.out(output)
    }

    private func describeGroups(_ groups: [String], _ service: ConsumerGroupService) async throws {
        var missing = false
        for groupId in groups.sorted() {
            let description = try await service.describe(groupId)
            let tables = ConsumerGroupTables(description: description)
            if description.state == "Dead" {
                StandardStreams.out("\nError: Consumer group '\(groupId)' does not exist.\n")
                missing = true
                continue
            }
            if members {
                tables.reportState(rows: description.members.count)
                StandardStreams.out(tables.membersTable(verbose: verbose))
            } else if state {
                tables.reportState(rows: 1)
                StandardStreams.out(tables.stateTable())
            } else {
                let rows = try await service.offsetRows(description)
                if tables.reportState(rows: rows.count) { StandardStreams.out(tables.offsetsTable(rows)) }
            }
        }
        if missing { throw CommandFailure.alreadyReported }
    }

    private func deleteGroups(_ groups: [String], _ admin: KafkaAdminClient) async throws {
        var deleted: [String] = []
        var failed: [(String, KafkaError)] = []
        for groupId in groups {
            do {
                try await admin.deleteConsumerGroups([groupId])
                deleted.append(groupId)
            } catch {
                failed.append((groupId, error))
            }
        }
        let quoted = { (ids: [String]) in ids.map { "'\($0)'" }.joined(separator: ", ") }
        guard !failed.isEmpty else {
            StandardStreams.out("Deletion of requested consumer groups (\(quoted(deleted))) was successful.\n")
            return
        }
        var output = "\nError: Deletion of some consumer groups failed:\n"
        for (groupId, error) in failed {
            output += "* Group '\(groupId)' could not be deleted due to: \(JavaExceptionName.describing(error))\n"
        }
        if !deleted.isEmpty { output += "\nThese consumer groups were deleted successfully: \(quoted(deleted))\n" }
        StandardStreams.out(output)
        throw CommandFailure.alreadyReported
    }

    private func checkResetArguments() throws(CommandFailure) {
        if dryRun && execute { throw .standardError("Option [reset-offsets] only accepts one of [execute] and [dry-run]") }
        let scenarios = [toEarliest, toLatest, toCurrent, toOffset != nil, shiftBy != nil].filter { $0 }.count
        guard scenarios == 1 else {
            throw .standardError(
                "Option [reset-offsets] takes exactly one of these options: [to-offset], [to-earliest], [to-latest], [to-current], [shift-by]"
            )
        }
        if topic.isEmpty && !allTopics { throw .standardError("One of the reset scopes should be defined: --all-topics, --topic.") }
        if !dryRun && !execute {
            StandardStreams.err(
                "WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n"
            )
        }
    }

    private func resetGroupOffsets(_ groups: [String], _ service: ConsumerGroupService) async throws {
        let scenario: OffsetResetScenario =
            toEarliest ? .earliest : toLatest ? .latest : toCurrent ? .current : toOffset.map { .offset($0) } ?? .shift(shiftBy!)
        var plans: [(group: String, offsets: [TopicPartition: Int64])] = []
        var refused = false
        for groupId in groups {
            let description = try await service.describe(groupId)
            guard description.state == "Empty" || description.state == "Dead" else {
                StandardStreams.out(
                    "\nError: Assignments can only be reset if the group '\(groupId)' is inactive, but the current state is \(description.state).\n"
                )
                plans.append((groupId, [:]))
                refused = true
                continue
            }
            let partitions = try await service.partitionsToReset(groupId, topics: topic, allTopics: allTopics)
            let offsets = try await service.offsets(for: scenario, partitions: partitions, group: groupId)
            if execute { try await service.commit(offsets, group: groupId) }
            plans.append((groupId, offsets))
        }
        if !plans.isEmpty { StandardStreams.out(ConsumerGroupTables.resetTable(plans)) }
        if refused { throw CommandFailure.alreadyReported }
    }
}
