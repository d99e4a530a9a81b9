import KafkaProtocol
import SamsaTestSupport
import Testing

@testable import KafkaClient

@Suite(.tags(.pure)) struct ClusterMetadataTests {
    func response(topics: [MetadataResponse.MetadataResponseTopic]) -> MetadataResponse {
        MetadataResponse(
            brokers: [.init(nodeId: 1, host: "127.0.0.1", port: 9092), .init(nodeId: 2, host: "127.0.0.1", port: 9093)],
            clusterId: "cluster", controllerId: 2, topics: topics)
    }

    func topic(_ name: String, leaders: [Int32], error: Int16 = 0) -> MetadataResponse.MetadataResponseTopic {
        .init(
            errorCode: error, name: name,
            partitions: leaders.enumerated().reversed().map { .init(partitionIndex: Int32($0.offset), leaderId: $0.element) })
    }

    @Test func aResponseFillsBrokersControllerAndSortedPartitions() {
        var metadata = ClusterMetadata()
        metadata.update(with: response(topics: [topic("orders", leaders: [1, -1, 2])]), requestedTopics: ["orders"])
        #expect(metadata.brokers[2] == BrokerAddress(host: "127.0.0.1", port: 9093))
        #expect(metadata.controllerId == 2)
        #expect(metadata.topics["orders"]?.partitions.map(\.id) == [0, 1, 2])
        #expect(metadata.topics["orders"]?.availablePartitions.map(\.id) == [0, 2])
        #expect(metadata.topics["orders"]?.partitions.map(\.leader) == [1, -1, 2])
    }

    @Test func aPartialResponseKeepsOtherTopicsAndAFullOneReplacesThem() {
        var metadata = ClusterMetadata()
        metadata.update(with: response(topics: [topic("a", leaders: [1]), topic("b", leaders: [1])]), requestedTopics: nil)
        metadata.update(with: response(topics: [topic("a", leaders: [2])]), requestedTopics: ["a"])
        #expect(metadata.topics.keys.sorted() == ["a", "b"])
        #expect(metadata.topics["a"]?.partitions.first?.leader == 2)
        metadata.update(with: response(topics: [topic("c", leaders: [1])]), requestedTopics: nil)
        #expect(metadata.topics.keys.sorted() == ["c"])
    }

    @Test func invalidatingForgetsATopic() {
        var metadata = ClusterMetadata()
        metadata.update(with: response(topics: [topic("a", leaders: [1], error: 0)]), requestedTopics: ["a"])
        metadata.invalidate(topic: "a")
        #expect(metadata.topics["a"] == nil)
        metadata.update(with: response(topics: [topic("a", leaders: [], error: 3)]), requestedTopics: ["a"])
        #expect(metadata.topics["a"]?.error == .unknownTopicOrPartition)
    }
}
