import KafkaClient
import KafkaProtocol

/// kafka-topics.sh `--describe` lines: a tab-separated topic line, then one line per partition
/// that starts with a tab. A single Samsa broker has no eligible leader replicas (KIP-966), which
/// Kafka prints as N/A.
enum TopicDescriptionFormat {
    static func topicLine(_ topic: KafkaTopicDescription, overrides: [KafkaConfigEntry]) -> String {
        var line = "Topic: \(topic.name)"
        if topic.topicId != .zero { line += "\tTopicId: \(topic.topicId)" }
        line += "\tPartitionCount: \(topic.partitions.count)"
        line += "\tReplicationFactor: \(topic.partitions.first?.replicas.count ?? 0)"
        line += "\tConfigs: " + overrides.map { "\($0.name)=\($0.value ?? "null")" }.joined(separator: ",")
        return line + "\n"
    }

    static func partitionLine(_ partition: KafkaTopicDescription.Partition, topic: String) -> String {
        let leader = partition.leader >= 0 ? "\(partition.leader)" : "none"
        return "\tTopic: \(topic)\tPartition: \(partition.partition)\tLeader: \(leader)"
            + "\tReplicas: \(partition.replicas.map(String.init).joined(separator: ","))"
            + "\tIsr: \(partition.inSyncReplicas.map(String.init).joined(separator: ","))"
            + "\tElr: N/A\tLastKnownElr: N/A\n"
    }
}
