import ArgumentParser
import KafkaClient

/// `samsa console-producer`: kafka-console-producer.sh. Each line of standard input becomes a
/// record; with `--property parse.key=true` the text before `key.separator` is its key.
struct ConsoleProducerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-producer",
        abstract: "Read data from standard input and publish it to Kafka (kafka-console-producer.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Option(help: "REQUIRED: The topic id to produce messages to.") var topic: String?

    @Option(
        help: ArgumentHelp(
            "A mechanism to pass user-defined properties in the form key=value to the message reader: parse.key, key.separator, ignore.error, null.marker.",
            valueName: "prop"))
    var property: [String] = []

    @Option(
        help: ArgumentHelp(
            "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'.",
            valueName: "compression-codec"))
    var compressionCodec: String?

    @Option(help: ArgumentHelp("The required acks of the producer requests (default: -1)", valueName: "request required acks"))
    var requestRequiredAcks: String?

    @Option(
        help: ArgumentHelp(
            "If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. (default: 1000)",
            valueName: "timeout_ms"))
    var timeout: Int?

    @Option(
        help: ArgumentHelp(
            "Number of messages to send in a single batch if they are not being sent synchronously. (default: 16384)", valueName: "size"))
    var batchSize: Int?

    @Option(
        help: ArgumentHelp(
            "The max time that the producer will block for during a send request. (default: 60000)", valueName: "max block on send"))
    var maxBlockMs: Int?

    @Option(help: ArgumentHelp("The ack timeout of the producer requests. (default: 1500)", valueName: "request timeout ms"))
    var requestTimeoutMs: Int?

    @Flag(help: "If set message send requests to the brokers are synchronously, one at a time as they arrive.")
    var sync = false

    @Option(
        help: ArgumentHelp("A mechanism to pass user-defined properties in the form key=value to the producer.", valueName: "producer_prop")
    )
    var producerProperty: [String] = []

    @Option(
        name: .customLong("producer.config"),
        help: ArgumentHelp(
            "Producer config properties file. Note that --producer-property takes precedence over this config.", valueName: "config file"))
    var producerConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        guard let topic else { throw CommandFailure.standardError("Missing required argument \"[topic]\"") }
        let reader = try LineMessageReader(properties: property)
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(properties: try producerProperties(servers: servers).dictionary))
        } catch let error as KafkaError {
            throw CommandFailure.standardError(error.toolMessage)
        }
        var failures = 0
        var pending: [(record: LineMessageReader.Record, result: FutureRecordMetadata)] = []
        /// Kafka logs each failed send through its callback and carries on with the next line.
        func report(_ record: LineMessageReader.Record, _ error: KafkaError) {
            failures += 1
            StandardStreams.err(
                "Error when sending message to topic \(topic) with key: \(record.keyDescription), value: \(record.valueDescription) with error: \(error.toolMessage)\n"
            )
        }
        func settle(_ count: Int) async {
            for (record, result) in pending.prefix(count) {
                do { _ = try await result.get() } catch { report(record, error) }
            }
            pending.removeFirst(count)
        }
        var lineNumber = 0
        for await line in StandardInputLines.stream(prompt: StandardStreams.inputIsTerminal) {
            lineNumber += 1
            let record: LineMessageReader.Record
            do {
                record = try reader.record(from: line, lineNumber: lineNumber)
            } catch {
                await producer.close()
                throw error
            }
            do {
                pending.append((record, try await producer.enqueue(topic: topic, key: record.key, value: record.value)))
            } catch {
                report(record, error)
                // Without metadata (an unreachable broker) every later line would wait and fail the same way.
                if error.code == .connectionFailed || error.code == .timedOut { break }
            }
            if sync || pending.count >= 10_000 { await settle(pending.count) }
        }
        await producer.close()
        await settle(pending.count)
        if failures > 0 { throw CommandFailure.alreadyReported }
    }

    /// The tool's defaults, then the config file, then `--producer-property`, then the options
    /// given explicitly, as Kafka's ConsoleProducer merges them.
    private func producerProperties(servers: [String]) throws(CommandFailure) -> ClientProperties {
        var properties = ClientProperties()
        properties.set("client.id", "console-producer")
        properties.set("acks", "-1")
        properties.set("linger.ms", "1000")
        properties.set("batch.size", "16384")
        properties.set("max.block.ms", "60000")
        properties.set("request.timeout.ms", "1500")
        properties.set("bootstrap.timeout.ms", ToolClients.bootstrapTimeoutMs)
        if let producerConfig { try properties.add(file: producerConfig) }
        try properties.add(assignments: producerProperty)
        properties.set("bootstrap.servers", servers.joined(separator: ","))
        if let requestRequiredAcks { properties.set("acks", requestRequiredAcks) }
        if let compressionCodec { properties.set("compression.type", compressionCodec) }
        if let timeout { properties.set("linger.ms", "\(timeout)") }
        if let batchSize { properties.set("batch.size", "\(batchSize)") }
        if let maxBlockMs { properties.set("max.block.ms", "\(maxBlockMs)") }
        if let requestTimeoutMs { properties.set("request.timeout.ms", "\(requestTimeoutMs)") }
        // Kafka enables idempotence only with acks=all; the SDK would warn about the mismatch.
        if properties.value(of: "enable.idempotence") == nil {
            let acks = properties.value(of: "acks")?.lowercased()
            properties.set("enable.idempotence", acks == "all" || acks == "-1" ? "true" : "false")
        }
        return properties
    }
}
