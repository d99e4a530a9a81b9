import KafkaClient
import Testing

/// Every type the public API hands out can be named and used with `import KafkaClient` alone.
extension KafkaClientAPITests {
    struct Order: Codable, Equatable {
        var id: Int
        var item: String
    }

    @Test func theTypesOfThePublicAPIAreNameable() {
        let bytes: ByteBuffer = ByteBuffer(string: "payload")
        let header = KafkaHeader(key: "trace", value: bytes)
        #expect(header.value.map { String(buffer: $0) } == "payload")
        let code: ErrorCode = .topicAlreadyExists
        #expect(code.rawValue == 36)
        let error = KafkaError(.broker, "exists", errorCode: code)
        #expect(error.errorCode == .topicAlreadyExists)
        let logger: Logger = Logger(label: "app")
        #expect(logger.label == "app")
        let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
        #expect(throws: Never.self) {
            _ = try KafkaAdminClient(configuration: KafkaAdminConfiguration(), eventLoopGroup: group, logger: logger)
        }
        let services: [any Service] = []
        #expect(services.isEmpty)
        let topicId: KafkaUUID? = nil
        #expect(topicId == nil)
    }

    @Test func recordsConvertToTheTypesTheAppWants() throws {
        let json = ByteBuffer(string: #"{"id":7,"item":"tea"}"#)
        let record = KafkaConsumerRecord(
            topic: "orders", partition: 2, offset: 41, timestamp: 0, timestampType: .createTime, key: ByteBuffer(string: "order-7"),
            value: json, headers: [], serializedKeySize: 7, serializedValueSize: json.readableBytes)
        #expect(try record.key(as: String.self) == "order-7")
        #expect(try record.value(as: Order.self) == Order(id: 7, item: "tea"))
        #expect(try record.value(as: ByteBuffer.self) == json)
        #expect(try record.value(as: [UInt8].self)?.count == json.readableBytes)

        let error = #expect(throws: KafkaError.self) { try record.key(as: Order.self) }
        #expect(error?.code == .serializationFailed)
        #expect(error?.topicPartition == TopicPartition(topic: "orders", partition: 2))
        #expect(error?.offset == 41)

        var deserialized = record
        deserialized.value = Order(id: 8, item: "milk")
        deserialized.key = nil
        #expect(try deserialized.value(as: Order.self) == Order(id: 8, item: "milk"))
        #expect(try deserialized.key(as: String.self) == nil)
    }
}
