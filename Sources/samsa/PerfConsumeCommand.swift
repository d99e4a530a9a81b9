import ArgumentParser
import Foundation
import KafkaClient
import NIOCore

/// `samsa perf consume`: kafka-consumer-perf-test.sh. Reads `--messages` records as a new group
/// from the start of the topic and prints Kafka's CSV header and result row.
struct PerfConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "This tool is used to verify the consumer performance (kafka-consumer-perf-test.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Option(help: "REQUIRED: The topic to consume from.") var topic: String?
    @Option(
        help: ArgumentHelp("Regular expression specifying list of topics to include for consumption.", valueName: "Java regex (String)"))
    var include: String?
    @Option(help: ArgumentHelp("The group id to consume on. (default: perf-consumer-NNNNN)", valueName: "gid")) var group: String?
    @Option(help: ArgumentHelp("REQUIRED: The number of messages to send or consume", valueName: "count")) var messages: Int?
    @Flag(
        help:
            "If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message."
    )
    var fromLatest = false
    @Option(help: ArgumentHelp("The amount of data to fetch in a single request. (default: 1048576)", valueName: "size")) var fetchSize:
        Int?
    @Option(
        help: ArgumentHelp("The maximum allowed time in milliseconds between returned records. (default: 10000)", valueName: "milliseconds")
    )
    var timeout: Int = 10000
    @Option(help: ArgumentHelp("Interval in milliseconds at which to print progress info. (default: 5000)", valueName: "interval_ms"))
    var reportingInterval: Int = 5000
    @Flag(help: "If set, stats are reported for each reporting interval as configured by reporting-interval") var showDetailedStats = false
    @Flag(help: "If set, skips printing the header for the stats") var hideHeader = false
    @Option(
        help: ArgumentHelp(
            "The date format to use for formatting the time field. (default: yyyy-MM-dd HH:mm:ss:SSS)", valueName: "date format"))
    var dateFormat = "yyyy-MM-dd HH:mm:ss:SSS"
    @Option(name: .customLong("consumer.config"), help: ArgumentHelp("Consumer config properties file.", valueName: "config file"))
    var consumerConfig: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        guard let messages else { throw CommandFailure.standardError("Missing required argument \"[messages]\"") }
        guard (topic == nil) != (include == nil) else {
            throw CommandFailure.standardError("Exactly one of the following arguments is required: topic, include")
        }
        let formatter = DateFormatter()
        formatter.dateFormat = dateFormat
        let newFields = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
        if !hideHeader {
            StandardStreams.out(
                (showDetailedStats ? "time, threadId" : "start.time, end.time")
                    + ", data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec" + newFields + "\n")
        }
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(properties: try consumerProperties(servers: servers).dictionary))
            if let topic { try await consumer.subscribe(topics: [topic]) } else { try await consumer.subscribe(pattern: include!) }
        } catch let error as KafkaError {
            throw CommandFailure.standardError(error.toolMessage)
        }
        let startDate = Date()
        let start = ContinuousClock.now
        var progress = ConsumerPerformanceProgress(start: start)
        var lastConsumed = start
        do {
            while progress.messages < messages && ContinuousClock.now - lastConsumed <= .milliseconds(timeout) {
                let records = try await consumer.poll(timeoutMs: 100)
                let now = ContinuousClock.now
                // The SDK has no rebalance listener; the first assignment marks the end of the join.
                if progress.joinTime == nil, !(await consumer.assignment()).isEmpty { progress.joinTime = now - start }
                if !records.isEmpty { lastConsumed = now }
                for record in records {
                    progress.add(bytes: Self.size(of: record.key) + Self.size(of: record.value))
                    if showDetailedStats,
                        let line = progress.intervalLine(
                            now: now, every: .milliseconds(reportingInterval), date: formatter.string(from: Date()))
                    {
                        StandardStreams.out(line)
                    }
                }
            }
        } catch {
            await consumer.close()
            throw CommandFailure.standardError(error.toolMessage)
        }
        let end = ContinuousClock.now
        let endDate = Date()
        if progress.messages < messages {
            StandardStreams.out(
                "WARNING: Exiting before consuming the expected number of messages: timeout (\(timeout) ms) exceeded. You can use the --timeout option to increase the timeout.\n"
            )
        }
        await consumer.close()
        if !showDetailedStats {
            StandardStreams.out(
                progress.totalLine(end: end, startDate: formatter.string(from: startDate), endDate: formatter.string(from: endDate)))
        }
    }

    private static func size(of field: (any Sendable)?) -> Int {
        (field as? ByteBuffer)?.readableBytes ?? 0
    }

    private func consumerProperties(servers: [String]) throws(CommandFailure) -> ClientProperties {
        var properties = ClientProperties()
        properties.set("client.id", "perf-consumer-client")
        properties.set("bootstrap.timeout.ms", ToolClients.bootstrapTimeoutMs)
        properties.set("check.crcs", "false")
        if let consumerConfig { try properties.add(file: consumerConfig) }
        properties.set("bootstrap.servers", servers.joined(separator: ","))
        properties.set("group.id", group ?? "perf-consumer-\(Int.random(in: 0..<100_000))")
        if let fetchSize { properties.set("max.partition.fetch.bytes", "\(fetchSize)") }
        if properties.value(of: "auto.offset.reset") == nil { properties.set("auto.offset.reset", fromLatest ? "latest" : "earliest") }
        return properties
    }
}
