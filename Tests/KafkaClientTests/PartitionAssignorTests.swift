import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct PartitionAssignorTests {
    func partitions(_ topic: String, _ numbers: Int32...) -> [TopicPartition] {
        numbers.map { TopicPartition(topic: topic, partition: $0) }
    }

    @Test func rangeGivesConsecutivePartitionsAndTheRemainderToTheFirstMembers() {
        let result = KafkaPartitionAssignor.range.assign(
            subscriptions: ["c": ["t"], "a": ["t"], "b": ["t"]], partitionCounts: ["t": 7])
        #expect(result["a"] == partitions("t", 0, 1, 2))
        #expect(result["b"] == partitions("t", 3, 4))
        #expect(result["c"] == partitions("t", 5, 6))
    }

    @Test func rangeAssignsEachTopicSeparately() {
        let result = KafkaPartitionAssignor.range.assign(
            subscriptions: ["a": ["t1", "t2"], "b": ["t1", "t2"]], partitionCounts: ["t1": 3, "t2": 3])
        #expect(result["a"] == partitions("t1", 0, 1) + partitions("t2", 0, 1))
        #expect(result["b"] == partitions("t1", 2) + partitions("t2", 2))
    }

    @Test func roundRobinDealsAllPartitionsInTurn() {
        let result = KafkaPartitionAssignor.roundRobin.assign(
            subscriptions: ["a": ["t1", "t2"], "b": ["t1", "t2"]], partitionCounts: ["t1": 3, "t2": 3])
        #expect(result["a"] == partitions("t1", 0, 2) + partitions("t2", 1))
        #expect(result["b"] == partitions("t1", 1) + partitions("t2", 0, 2))
    }

    @Test func roundRobinSkipsMembersNotSubscribedToTheTopic() {
        let result = KafkaPartitionAssignor.roundRobin.assign(
            subscriptions: ["a": ["t1"], "b": ["t1", "t2"]], partitionCounts: ["t1": 2, "t2": 2])
        #expect(result["a"] == partitions("t1", 0))
        #expect(result["b"] == partitions("t1", 1) + partitions("t2", 0, 1))
    }

    @Test(arguments: [KafkaPartitionAssignor.range, .roundRobin])
    func everyMemberAppearsAndEveryPartitionIsAssignedOnce(assignor: KafkaPartitionAssignor) {
        let result = assignor.assign(
            subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"], "d": ["t"]], partitionCounts: ["t": 3, "unused": 4])
        #expect(result.keys.sorted() == ["a", "b", "c", "d"])
        let all = result.values.flatMap { $0 }
        #expect(all.sorted() == partitions("t", 0, 1, 2))
    }

    @Test func javaAndKafkaPythonNamesParse() {
        #expect(KafkaPartitionAssignor("range")?.name == "range")
        #expect(KafkaPartitionAssignor("org.apache.kafka.clients.consumer.RoundRobinAssignor")?.name == "roundrobin")
        #expect(KafkaPartitionAssignor("sticky") == nil)
    }
}
