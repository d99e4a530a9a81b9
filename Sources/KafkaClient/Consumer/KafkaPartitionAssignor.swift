/// kafka-python's `partition_assignment_strategy` entries: how the group leader spreads the
/// subscribed topics' partitions over the members. A pure function of the members' subscriptions
/// and the topics' partition counts, so every client computes the same assignment.
public struct KafkaPartitionAssignor: Sendable, CustomStringConvertible {
    /// The protocol name sent in JoinGroup ("range", "roundrobin"), shared with Java and kafka-python.
    public let name: String
    private let assignment:
        @Sendable (_ subscriptions: [String: [String]], _ partitionCounts: [String: Int32]) -> [String: [TopicPartition]]

    public init(
        name: String,
        assign: @escaping @Sendable (_ subscriptions: [String: [String]], _ partitionCounts: [String: Int32]) -> [String: [TopicPartition]]
    ) {
        self.name = name
        self.assignment = assign
    }

    /// The partitions of each member: `subscriptions` maps member ids to their topics,
    /// `partitionCounts` gives each topic's partition count (topics missing there are skipped).
    /// Every member appears in the result, possibly with no partitions.
    public func assign(subscriptions: [String: [String]], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = assignment(subscriptions, partitionCounts)
        for member in subscriptions.keys where result[member] == nil { result[member] = [] }
        return result
    }

    public var description: String { name }

    /// Java's RangeAssignor: per topic, members sorted by id get consecutive ranges, the first
    /// `count % members` of them one partition more.
    public static let range = KafkaPartitionAssignor(name: "range") { subscriptions, partitionCounts in
        var result: [String: [TopicPartition]] = [:]
        let topics = Set(subscriptions.values.flatMap { $0 }).sorted()
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let members = subscriptions.filter { $0.value.contains(topic) }.keys.sorted()
            guard !members.isEmpty else { continue }
            let perMember = Int(count) / members.count
            let extra = Int(count) % members.count
            for (index, member) in members.enumerated() {
                let start = index * perMember + min(index, extra)
                let length = perMember + (index < extra ? 1 : 0)
                result[member, default: []] += (start..<start + length).map { TopicPartition(topic: topic, partition: Int32($0)) }
            }
        }
        return result
    }

    /// Java's RoundRobinAssignor: all partitions sorted by topic and number are dealt to the members
    /// sorted by id in turn, skipping members not subscribed to the partition's topic.
    public static let roundRobin = KafkaPartitionAssignor(name: "roundrobin") { subscriptions, partitionCounts in
        var result: [String: [TopicPartition]] = [:]
        let members = subscriptions.keys.sorted()
        guard !members.isEmpty else { return result }
        let topics = Set(subscriptions.values.flatMap { $0 }).sorted()
        var next = 0
        for topic in topics {
            guard let count = partitionCounts[topic] else { continue }
            for partition in 0..<count {
                // Some member is subscribed to `topic`, so this finds one within a full turn.
                for _ in 0..<members.count {
                    let member = members[next % members.count]
                    next += 1
                    if subscriptions[member]?.contains(topic) == true {
                        result[member, default: []].append(TopicPartition(topic: topic, partition: partition))
                        break
                    }
                }
            }
        }
        return result
    }

    /// Parses kafka-python's and Java's names: "range", "roundrobin", or Java class names ending in
    /// RangeAssignor / RoundRobinAssignor.
    public init?(_ text: String) {
        let name = text.lowercased()
        if name == "range" || text.hasSuffix("RangeAssignor") {
            self = .range
        } else if name == "roundrobin" || name == "round_robin" || text.hasSuffix("RoundRobinAssignor") {
            self = .roundRobin
        } else {
            return nil
        }
    }
}
