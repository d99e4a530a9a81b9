import ArgumentParser
import KafkaClient

/// The study notes' consumer, written with the Samsa SDK: group `my-group`, reading from the
/// earliest offset with auto-commit, stopping after one second without messages; prints each value
/// on its own line, then the count. The Swift twin of
///
///     consumer = KafkaConsumer('hello', bootstrap_servers=..., group_id='my-group',
///                              auto_offset_reset='earliest', enable_auto_commit=True,
///                              consumer_timeout_ms=1000)
///     for message in consumer: print(message.value)
@main
struct ExampleConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "example-consumer")

    @Option(help: "HOST:PORT of a broker") var bootstrapServer = "localhost:9092"
    @Option(help: "The topic to read") var topic = "hello"

    func run() async throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: [bootstrapServer], groupId: "my-group")
        configuration.autoOffsetReset = .earliest
        configuration.enableAutoCommit = true
        configuration.consumerTimeoutMs = 1000
        configuration.valueDeserializer = .utf8
        let consumer = try KafkaConsumer(configuration: configuration)
        try await consumer.subscribe(topics: [topic])
        var count = 0
        for try await message in consumer {
            print(message.value as? String ?? "null")
            count += 1
        }
        await consumer.close()
        print("consumed \(count) messages")
    }
}
