import KafkaClient

/// kafka-consumer-groups.sh's output for one group: the state notes on stderr and the offsets,
/// members and state tables on stdout, in Kafka 3.9's layout (a blank line, then the table; column
/// widths from the data, at least 15).
struct ConsumerGroupTables {
    let description: KafkaConsumerGroupDescription

    /// Kafka's `shouldPrintMemberState`: notes an empty or rebalancing group on stderr; says
    /// whether there are rows to print.
    @discardableResult
    func reportState(rows: Int) -> Bool {
        switch description.state {
        case "Empty": StandardStreams.err("\nConsumer group '\(description.groupId)' has no active members.\n")
        case "PreparingRebalance", "CompletingRebalance", "Assigning", "Reconciling":
            StandardStreams.err("\nWarning: Consumer group '\(description.groupId)' is rebalancing.\n")
        default: break
        }
        return rows > 0
    }

    func offsetsTable(_ rows: [ConsumerGroupOffsetRow]) -> String {
        func width(_ column: (ConsumerGroupOffsetRow) -> String?) -> Int {
            rows.reduce(15) { max($0, (column($1) ?? "-").count) }
        }
        let widths: [Int?] = [width(\.group), width(\.topic), 10, 15, 15, 15, width(\.consumerId), width(\.host), nil]
        var output =
            "\n"
            + JavaFormat.columns(
                ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"],
                widths: widths)
        for row in rows { output += "\n" + JavaFormat.columns(row.columns, widths: widths) }
        return output + "\n"
    }

    /// `--members`: one line per member; the header carries a trailing column space, as Kafka's.
    func membersTable(verbose: Bool) -> String {
        let members = description.members
        let withInstanceIds = members.contains { !($0.groupInstanceId ?? "").isEmpty }
        var widths: [Int?] = [max(15, description.groupId.count), max(15, members.map(\.memberId.count).max() ?? 0)]
        if withInstanceIds { widths.append(max(17, members.map { ($0.groupInstanceId ?? "").count }.max() ?? 0)) }
        widths += [max(15, members.map(\.clientHost.count).max() ?? 0), max(15, members.map(\.clientId.count).max() ?? 0), 15]
        var header = ["GROUP", "CONSUMER-ID"]
        if withInstanceIds { header.append("GROUP-INSTANCE-ID") }
        header += ["HOST", "CLIENT-ID", "#PARTITIONS"]
        var output = "\n" + JavaFormat.columns(header, widths: widths) + " " + (verbose ? "ASSIGNMENT" : "") + "\n"
        for member in members {
            var values = [description.groupId, member.memberId]
            if withInstanceIds { values.append(member.groupInstanceId ?? "") }
            values += [member.clientHost, member.clientId, "\(member.assignment.count)"]
            output += JavaFormat.columns(values, widths: widths) + " "
            if verbose { output += Self.assignmentText(member.assignment) }
            output += "\n"
        }
        return output
    }

    /// `--state`. Kafka pads the group column to the coordinator's width; kept as it prints.
    func stateTable() -> String {
        let coordinator = "\(description.coordinator.host):\(description.coordinator.port)  (\(description.coordinatorId))"
        let widths: [Int?] = [max(25, coordinator.count), 25, 20, 15, nil]
        return "\n" + JavaFormat.columns(["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"], widths: widths)
            + "\n"
            + JavaFormat.columns(
                [description.groupId, coordinator, description.assignor, description.state, "\(description.members.count)"], widths: widths)
            + "\n"
    }

    /// `--reset-offsets`: the planned (or, with --execute, committed) offsets.
    static func resetTable(_ plans: [(group: String, offsets: [TopicPartition: Int64])]) -> String {
        let widths: [Int?] = [30, 30, 10, 15]
        var output = "\n" + JavaFormat.columns(["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"], widths: widths) + "\n"
        for plan in plans {
            for (partition, offset) in plan.offsets.sorted(by: { $0.key < $1.key }) {
                output += JavaFormat.columns([plan.group, partition.topic, "\(partition.partition)", "\(offset)"], widths: widths) + "\n"
            }
        }
        return output
    }

    /// "topic(0,1,2), other(0)" for `--members --verbose`.
    private static func assignmentText(_ assignment: [TopicPartition]) -> String {
        guard !assignment.isEmpty else { return "-" }
        return Dictionary(grouping: assignment, by: \.topic).map { topic, partitions in
            topic + "(" + partitions.map(\.partition).sorted().map(String.init).joined(separator: ",") + ")"
        }.sorted().joined(separator: ", ")
    }
}
