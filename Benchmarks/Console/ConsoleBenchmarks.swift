import Benchmark
import KafkaProtocol
import KafkaRecords
import NIOCore
import Prometheus
import SamsaTestSupport

/// The console's pages with 1,000 topics, end to end over HTTP (target: p95 under 200 ms), and
/// what the broker's metrics cost on the produce path: the same acks=1 produce request against a
/// broker whose metrics go nowhere and one that writes them to a Prometheus registry. Then the SDK
/// producer's append path (`producerBenchmarks`), which also needs a running broker.
let benchmarks: @Sendable () -> Void = {
    let pages = RunningBroker()
    let pageConfiguration = Benchmark.Configuration(metrics: [.wallClock], maxDuration: .seconds(5), maxIterations: 200)
    for (name, path) in [("topics", "/topics"), ("overview", "/"), ("groups", "/groups"), ("metrics", "/metrics")] {
        Benchmark(
            "console-\(name)-page-1000-topics", configuration: pageConfiguration,
            closure: { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try await HTTPBenchmarkGet.get(path, port: pages.consolePort)) }
            },
            setup: { try await pages.start(registry: PrometheusCollectorRegistry(), topics: 1_000) },
            teardown: { try await pages.stop() })
    }

    var builder = RecordBatchBuilder()
    builder.append(timestamp: 1_700_000_000_000, key: nil, value: ByteBuffer(string: String(repeating: "v", count: 100)))
    // A fixed 100-byte record: building it cannot fail.
    let request = ProduceRequest(
        acks: 1, timeoutMs: 5_000, topicData: [.init(name: "topic-0", partitionData: [.init(index: 0, records: try! builder.build())])])
    let produceConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .cpuTotal], scalingFactor: .kilo, maxDuration: .seconds(5))
    for (name, registry) in [("no-metrics", nil as PrometheusCollectorRegistry?), ("prometheus-metrics", PrometheusCollectorRegistry())] {
        let broker = RunningBroker()
        Benchmark(
            "produce-request-acks1-\(name)", configuration: produceConfiguration,
            closure: { benchmark in
                try await RawKafkaConnection.with(port: broker.kafkaPort) { connection in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations { blackHole(try await connection.roundTrip(request, version: 9)) }
                    benchmark.stopMeasurement()
                }
            },
            setup: { try await broker.start(registry: registry, topics: 1) },
            teardown: { try await broker.stop() })
    }
    producerBenchmarks()
}
