import ArgumentParser
import KafkaClient
import Synchronization

/// The study notes' producer, written with the Samsa SDK: 10,000 JSON messages {"str": "result i"}
/// sent with acks=0 and gzip, the Swift twin of
///
///     producer = KafkaProducer(bootstrap_servers=..., acks=0, compression_type='gzip',
///                              value_serializer=lambda v: json.dumps(v).encode('utf-8'))
///     for i in range(10000): producer.send('hello', {'str': 'result %d' % i})
///     producer.flush()
///
/// `--flush-each`, `--acks` and `--count` turn it into the benchmark's variant (`make bench`), which
/// flushes after every send as the study notes' slow version does.
@main
struct ExampleProducer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "example-producer")

    @Option(help: "HOST:PORT of a broker") var bootstrapServer = "localhost:9092"
    @Option(help: "The topic to write to") var topic = "hello"
    @Option(help: "Messages to send") var count = 10_000
    @Option(help: "0, 1 or all") var acks = "0"
    @Flag(help: "Wait for each message to be sent (and acknowledged, unless acks is 0) before the next") var flushEach = false

    func run() async throws {
        guard let acks = KafkaAcks(acks) else { throw ValidationError("--acks expects 0, 1 or all, got '\(acks)'") }
        var configuration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
        configuration.acks = acks
        // Idempotence needs acks=all; saying so spares the warning kafka-python also prints.
        configuration.enableIdempotence = acks == .all
        configuration.compressionType = .gzip
        configuration.valueSerializer = .json
        let producer = try KafkaProducer(configuration: configuration)
        // Reports run on the event loop; the first failure is printed, flush throws for all of them.
        let failed = FailedDeliveries()
        let start = ContinuousClock.now
        for index in 0..<count {
            // enqueue returns once the record is in a batch; its delivery report says where it was
            // written or why not, without the loop waiting for it.
            try await producer.enqueue(topic: topic, value: ["str": "result \(index)"]).whenComplete { report in
                if case .failure(let error) = report, failed.count.add(1, ordering: .relaxed).oldValue == 0 {
                    print("message \(index) was not delivered: \(error)")
                }
            }
            if flushEach { try await producer.flush() }
        }
        // flush waits until every record is sent, and throws if the broker refused any of them.
        try await producer.flush()
        let elapsed = ContinuousClock.now - start
        await producer.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("sent \(count) messages to \(topic) in \(seconds) s")
    }
}
