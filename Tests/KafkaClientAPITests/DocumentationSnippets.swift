import KafkaClient

/// The code of the README's SDK section and of the DocC articles (Sources/KafkaClient/KafkaClient.docc),
/// compiled here so that a snippet that stops compiling fails the build. Not run: they need a
/// broker on localhost:9092; `ErrorHandlingIdioms` runs the error-handling ones.
enum DocumentationSnippets {
    struct Order: Codable, Sendable {
        var id: String
        var item: String
    }

    static func readme() async throws {
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: ["localhost:9092"])
        producerConfiguration.compressionType = .gzip
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let metadata = try await producer.send(topic: "hello", key: "k", value: "v")
        let pending = try await producer.enqueue(topic: "hello", value: "w")
        await producer.close()
        _ = (metadata, pending)

        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: ["localhost:9092"], groupId: "my-group")
        consumerConfiguration.autoOffsetReset = .earliest
        consumerConfiguration.consumerTimeoutMs = 1000
        consumerConfiguration.valueDeserializer = .utf8
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try await consumer.subscribe(topics: ["hello"])
        for try await record in consumer { print(record.value as? String ?? "null") }
        await consumer.close()
    }

    static func gettingStarted() async throws {
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: ["localhost:9092"])
        producerConfiguration.valueSerializer = .utf8
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let metadata = try await producer.send(topic: "hello", value: "world")
        print("written to \(metadata.topicPartition) at offset \(metadata.offset)")
        await producer.close()

        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: ["localhost:9092"], groupId: "my-group")
        consumerConfiguration.autoOffsetReset = .earliest
        consumerConfiguration.consumerTimeoutMs = 1000
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try await consumer.subscribe(topics: ["hello"])
        for try await record in consumer {
            print(try record.value(as: String.self) ?? "null")
        }
        await consumer.close()
    }

    static func producing(orders: [Order]) async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["localhost:9092"])
        configuration.valueSerializer = .json
        configuration.compressionType = .lz4
        let producer = try KafkaProducer(configuration: configuration)
        for order in orders {
            _ = try await producer.enqueue(topic: "orders", key: order.id, value: order)
        }
        try await producer.flush()

        for order in orders {
            let future = try await producer.enqueue(topic: "orders", key: order.id, value: order)
            future.whenComplete { report in
                switch report {
                case .success(let metadata): print("order \(order.id) at \(metadata.topicPartition)@\(metadata.offset)")
                case .failure(let error): print("order \(order.id) lost: \(error)")
                }
            }
        }
        await producer.close()
    }

    struct CommitOnRevoke: KafkaConsumerRebalanceListener {
        func partitionsRevoked(_ revoked: [TopicPartition], consumer: KafkaConsumer) async throws {
            try await consumer.commit()
        }
        func partitionsLost(_ lost: [TopicPartition], consumer: KafkaConsumer) async throws {
            // The group moved on without this member: its commits would be refused.
        }
    }

    static func consumingInGroups(process: (Order?) throws -> Void) async throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["localhost:9092"], groupId: "billing")
        configuration.enableAutoCommit = false
        let consumer = try KafkaConsumer(configuration: configuration)
        try await consumer.subscribe(topics: ["orders"], listener: CommitOnRevoke())
        while !Task.isCancelled {
            for record in try await consumer.poll(timeoutMs: 1000) {
                try process(record.value(as: Order.self))
            }
        }
        await consumer.close()
    }

    static func errorHandling(admin: KafkaAdminClient, producer: KafkaProducer, consumer: KafkaConsumer, logger: Logger) async throws {
        do {
            try await admin.createTopics([NewTopic(name: "orders", numPartitions: 6, replicationFactor: 1)])
        } catch let error where error.errorCode == .topicAlreadyExists {
            // fine: it is there
        }

        do {
            try await producer.flush()
        } catch {
            logger.error("not delivered: \(error.message)")
        }

        let task = Task {
            do throws(KafkaError) {
                try await consumer.commit()
            } catch {
                print(error.code)
            }
        }
        await task.value

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await admin.deleteTopics(["old"])
                } catch let error as KafkaError where error.errorCode == .unknownTopicOrPartition {
                    // already gone
                }
            }
            try await group.waitForAll()
        }
    }
}
