import Foundation
import KafkaClient

/// What kafka-consumer-groups.sh asks of the admin client: groups, their committed offsets
/// next to the log end offsets, and new offsets for a reset.
struct ConsumerGroupService {
    let admin: KafkaAdminClient

    /// Groups of the consumer protocol (and groups that only committed offsets), as Kafka's
    /// `listConsumerGroups` returns them.
    func consumerGroups() async throws -> [KafkaConsumerGroupListing] {
        try await admin.listConsumerGroups().filter { $0.protocolType == "consumer" || $0.protocolType.isEmpty }
    }

    func consumerGroupIds() async throws -> [String] {
        try await consumerGroups().map(\.groupId)
    }

    func describe(_ groupId: String) async throws -> KafkaConsumerGroupDescription {
        guard let description = try await admin.describeConsumerGroups([groupId]).first else {
            throw CommandFailure.standardOutput("\nError: The consumer group '\(groupId)' does not exist.")
        }
        return description
    }

    /// Assigned partitions with their member (members with more partitions first, as Kafka sorts
    /// them), then committed partitions nobody is assigned, with "-" for the member columns.
    func offsetRows(_ description: KafkaConsumerGroupDescription) async throws -> [ConsumerGroupOffsetRow] {
        let committed = try await admin.listConsumerGroupOffsets(description.groupId)
        let members = description.members.filter { !$0.assignment.isEmpty }.sorted { $0.assignment.count > $1.assignment.count }
        let assigned = Set(members.flatMap(\.assignment))
        let unassigned = committed.keys.filter { !assigned.contains($0) }
        let endOffsets = try await admin.listOffsets(
            Dictionary(uniqueKeysWithValues: (Array(assigned) + unassigned).map { ($0, KafkaOffsetSpec.latest) }))
        func rows(_ partitions: [TopicPartition], consumerId: String, host: String, clientId: String) -> [ConsumerGroupOffsetRow] {
            partitions.sorted().map {
                ConsumerGroupOffsetRow(
                    group: description.groupId, topic: $0.topic, partition: $0.partition, currentOffset: committed[$0]?.offset,
                    logEndOffset: endOffsets[$0], consumerId: consumerId, host: host, clientId: clientId)
            }
        }
        var result: [ConsumerGroupOffsetRow] = []
        for member in members {
            result += rows(member.assignment, consumerId: member.memberId, host: member.clientHost, clientId: member.clientId)
        }
        result += rows(unassigned, consumerId: "-", host: "-", clientId: "-")
        return result
    }

    /// `--all-topics`: what the group committed; `--topic t` every partition of t; `--topic t:0,2`
    /// those partitions.
    func partitionsToReset(_ groupId: String, topics: [String], allTopics: Bool) async throws -> [TopicPartition] {
        if allTopics { return try await admin.listConsumerGroupOffsets(groupId).keys.sorted() }
        var partitions: [TopicPartition] = []
        for spec in topics {
            let parts = spec.split(separator: ":", maxSplits: 1)
            let topic = String(parts[0])
            if parts.count == 2 {
                for number in parts[1].split(separator: ",") {
                    guard let partition = Int32(number.trimmingCharacters(in: .whitespaces)) else {
                        throw CommandFailure.standardError("Invalid partition '\(number)' in --topic \(spec)")
                    }
                    partitions.append(TopicPartition(topic: topic, partition: partition))
                }
            } else {
                for description in try await admin.describeTopics([topic]) {
                    partitions += description.partitions.map { TopicPartition(topic: topic, partition: $0.partition) }
                }
            }
        }
        return partitions.sorted()
    }

    /// New offsets for the scenario; explicit and shifted offsets are kept within the log, as
    /// Kafka's `checkOffsetsRange` does.
    func offsets(for scenario: OffsetResetScenario, partitions: [TopicPartition], group: String) async throws -> [TopicPartition: Int64] {
        func list(_ spec: KafkaOffsetSpec) async throws -> [TopicPartition: Int64] {
            try await admin.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, spec) }))
        }
        func clamped(_ requested: [TopicPartition: Int64]) async throws -> [TopicPartition: Int64] {
            let earliest = try await list(.earliest)
            let latest = try await list(.latest)
            return Dictionary(
                uniqueKeysWithValues: requested.map { partition, offset in
                    (partition, min(max(offset, earliest[partition] ?? offset), latest[partition] ?? offset))
                })
        }
        switch scenario {
        case .earliest:
            return try await list(.earliest)
        case .latest:
            return try await list(.latest)
        case .offset(let offset):
            return try await clamped(Dictionary(uniqueKeysWithValues: partitions.map { ($0, offset) }))
        case .current, .shift:
            let committed = try await admin.listConsumerGroupOffsets(group)
            if case .shift(let delta) = scenario {
                var shifted: [TopicPartition: Int64] = [:]
                for partition in partitions {
                    guard let current = committed[partition] else {
                        throw CommandFailure.standardError(
                            "Cannot shift offset for partition \(partition) since there is no current committed offset")
                    }
                    shifted[partition] = current.offset + delta
                }
                return try await clamped(shifted)
            }
            let latest = try await list(.latest)
            return Dictionary(uniqueKeysWithValues: partitions.map { ($0, committed[$0]?.offset ?? latest[$0] ?? 0) })
        }
    }

    func commit(_ offsets: [TopicPartition: Int64], group: String) async throws {
        try await admin.alterConsumerGroupOffsets(group, offsets: offsets.mapValues { OffsetAndMetadata(offset: $0) })
    }
}
