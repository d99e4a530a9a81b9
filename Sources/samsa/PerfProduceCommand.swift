import ArgumentParser
import KafkaClient
import NIOCore
import Synchronization

/// `samsa perf produce`: kafka-producer-perf-test.sh. Sends `--num-records` records of
/// `--record-size` random capital letters (or payloads from a file), optionally throttled, and
/// prints Kafka's progress and summary lines.
struct PerfProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "This tool is used to verify the producer performance (kafka-producer-perf-test.sh)."
    )

    /// A record on its way: its future, when it was handed to the producer, and its value's size.
    typealias SentRecord = (result: FutureRecordMetadata, sendStart: ContinuousClock.Instant, bytes: Int)
    static let chunkSize = 64

    @Option(help: "produce messages to this topic") var topic: String?
    @Option(help: "number of messages to produce") var numRecords: Int?
    @Option(
        help: "message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.")
    var recordSize: Int?
    @Option(help: "file to read the message payloads from (one payload per line). Payloads are picked at random.")
    var payloadFile: String?
    @Flag(help: "payload is monotonically increasing integer.") var payloadMonotonic = false
    @Option(help: "throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.")
    var throughput: Double?
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "kafka producer related configuration properties like bootstrap.servers,client.id etc.", valueName: "PROP-NAME=PROP-VALUE"))
    var producerProps: [String] = []
    @Option(name: .customLong("producer.config"), help: ArgumentHelp("producer config properties file.", valueName: "CONFIG-FILE"))
    var producerConfig: String?
    @Option(
        help: ArgumentHelp(
            "The server(s) to connect to (instead of bootstrap.servers in --producer-props).", valueName: "server to connect to"))
    var bootstrapServer: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let (topic, numRecords, throughput) = try checkedArguments()
        let payloads = try PerfPayloads(recordSize: recordSize, payloadFile: payloadFile, monotonic: payloadMonotonic)
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: KafkaProducerConfiguration(properties: try producerProperties().dictionary))
        } catch let error as KafkaError {
            throw CommandFailure.standardError(error.toolMessage)
        }
        let outstanding = Atomic<Int>(0)
        let (sent, sentContinuation) = AsyncStream.makeStream(of: [SentRecord].self)
        // Completions are awaited in send order by one task, so each latency is taken when the
        // acknowledgement arrives rather than when the sending loop gets round to it.
        let observer = Task { () -> (ProducerPerformanceStats, failures: Int) in
            var stats = ProducerPerformanceStats(numRecords: numRecords)
            var failures = 0
            for await chunk in sent {
                for (result, sendStart, bytes) in chunk {
                    do throws(KafkaError) {
                        _ = try await result.get()
                        let now = ContinuousClock.now
                        let latency = Int(ProducerPerformanceStats.milliseconds(now - sendStart))
                        if let line = stats.record(latencyMs: latency, bytes: bytes, now: now) { StandardStreams.out(line) }
                    } catch {
                        if failures == 0 { StandardStreams.err("Error when sending a record to \(topic): \(error.toolMessage)\n") }
                        failures += 1
                    }
                    outstanding.subtract(1, ordering: .relaxed)
                }
            }
            return (stats, failures)
        }
        let throttler = ThroughputThrottler(targetPerSecond: throughput)
        var generator = SplitMix64(seed: 0)
        let maxOutstanding = max(1_000, 64 * 1024 * 1024 / max(recordSize ?? 100, 1))
        var enqueueFailure: KafkaError?
        // Handing each record to the observer on its own makes the two tasks contend for the
        // stream's lock at every record; unthrottled, the loop hands them over in chunks, which
        // fill within a fraction of a millisecond. A throttled loop, or one about to wait for
        // buffer space, hands over at once, so that no record waits in the chunk.
        var chunk: [SentRecord] = []
        chunk.reserveCapacity(Self.chunkSize)
        for index in 0..<numRecords {
            let payload = payloads.next(index: index, generator: &generator)
            let sendStart = ContinuousClock.now
            do {
                let result = try await producer.enqueue(topic: topic, value: payload)
                outstanding.add(1, ordering: .relaxed)
                chunk.append((result, sendStart, payload.readableBytes))
            } catch {
                enqueueFailure = error
                break
            }
            if chunk.count >= Self.chunkSize || throughput > 0 || outstanding.load(ordering: .relaxed) > maxOutstanding {
                sentContinuation.yield(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
            // Kafka's producer blocks when buffer.memory is full; this keeps memory bounded the same way.
            while outstanding.load(ordering: .relaxed) > maxOutstanding { try await Task.sleep(for: .milliseconds(1)) }
            try await throttler.throttle(sent: index + 1)
        }
        sentContinuation.yield(chunk)
        sentContinuation.finish()
        await producer.close()
        let (stats, failures) = await observer.value
        if let enqueueFailure { throw CommandFailure.standardError(enqueueFailure.toolMessage) }
        StandardStreams.out(stats.totalLine())
        if failures > 0 { throw CommandFailure.alreadyReported }
    }

    private func checkedArguments() throws(CommandFailure) -> (topic: String, numRecords: Int, throughput: Double) {
        guard let topic else { throw .standardError("producer-performance: error: argument --topic is required") }
        guard let numRecords else { throw .standardError("producer-performance: error: argument --num-records is required") }
        guard let throughput else { throw .standardError("producer-performance: error: argument --throughput is required") }
        guard numRecords > 0 else { throw .standardError("--num-records should be greater than zero") }
        if let recordSize, recordSize <= 0 { throw .standardError("--record-size should be greater than zero") }
        let payloadOptions = [recordSize != nil, payloadFile != nil, payloadMonotonic].filter { $0 }.count
        guard payloadOptions == 1 else {
            throw .standardError(
                "producer-performance: error: either --record-size or --payload-file must be specified but not both.")
        }
        guard !producerProps.isEmpty || producerConfig != nil || bootstrapServer != nil else {
            throw .standardError("Either --producer-props or --producer.config must be specified.")
        }
        return (topic, numRecords, throughput)
    }

    private func producerProperties() throws(CommandFailure) -> ClientProperties {
        var properties = ClientProperties()
        properties.set("client.id", "perf-producer-client")
        properties.set("bootstrap.timeout.ms", ToolClients.bootstrapTimeoutMs)
        if let bootstrapServer { properties.set("bootstrap.servers", bootstrapServer) }
        if let producerConfig { try properties.add(file: producerConfig) }
        for assignment in producerProps {
            let pieces = assignment.split(separator: "=", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { throw .standardError("Invalid property: \(assignment)") }
            properties.set(String(pieces[0]), String(pieces[1]))
        }
        // As the console producer: idempotence only where Kafka's producer would have it (acks=all).
        if properties.value(of: "enable.idempotence") == nil {
            let acks = properties.value(of: "acks")?.lowercased() ?? "all"
            properties.set("enable.idempotence", acks == "all" || acks == "-1" ? "true" : "false")
        }
        return properties
    }
}
