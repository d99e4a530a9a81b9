import Benchmark
import KafkaClient
import NIOCore

/// The producer's accumulator through the SDK's public API (`RecordAccumulator` is internal): each
/// `enqueue` of a 100-byte record serializes it, finds its partition in the producer's cache and
/// appends it to the open batch. Batches of 256 KiB ship in the background to a broker in the
/// same process; mallocs per record are what the append path allocates.
func producerBenchmarks() {
    let broker = RunningBroker()
    let value = ByteBuffer(repeating: UInt8(ascii: "v"), count: 100)
    Benchmark(
        "producer-enqueue-100B-record",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(5)),
        closure: { benchmark in
            var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:\(broker.kafkaPort)"])
            configuration.acks = .leader
            configuration.enableIdempotence = false
            configuration.lingerMs = 1_000
            configuration.batchSize = 256 * 1024
            let producer = try KafkaProducer(configuration: configuration)
            // The first send looks the topic up, outside the measurement.
            _ = try await producer.send(topic: "topic-0", value: value, partition: 0)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await producer.enqueue(topic: "topic-0", value: value, partition: 0)) }
            benchmark.stopMeasurement()
            await producer.close()
        },
        setup: { try await broker.start(registry: nil, topics: 1) },
        teardown: { try await broker.stop() })
}
