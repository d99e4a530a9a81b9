import ArgumentParser
import KafkaClient

/// The study notes' producer, written with the Samsa SDK: 10,000 JSON messages {"str": "result i"}
/// sent with acks=0 and gzip, the Swift twin of
///
///     producer = KafkaProducer(bootstrap_servers=..., acks=0, compression_type='gzip',
///                              value_serializer=lambda v: json.dumps(v).encode('utf-8'))
///     for i in range(10000): producer.send('hello', {'str': 'result %d' % i})
///     producer.flush()
@main
struct ExampleProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "example-producer")

    @Option(help: "HOST:PORT of a broker") var bootstrapServer = "localhost:9092"
    @Option(help: "The topic to write to") var topic = "hello"

    func run() async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
        configuration.acks = .none
        // Idempotence needs acks=all; saying so spares the warning kafka-python also prints.
        configuration.enableIdempotence = false
        configuration.compressionType = .gzip
        configuration.valueSerializer = .json
        let producer = try KafkaProducer(configuration: configuration)
        for index in 0..<10_000 {
            // enqueue returns once the record is in a batch; flush waits until all are sent.
            _ = try await producer.enqueue(topic: topic, value: ["str": "result \(index)"])
        }
        await producer.flush()
        await producer.close()
        print("sent 10000 messages to \(topic)")
    }
}
