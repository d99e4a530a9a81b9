import ArgumentParser
import KafkaClient
import KafkaProtocol
import UnixSignals

/// `samsa console-consumer`: kafka-console-consumer.sh. Prints the records of a topic (or of one
/// partition from an offset) until `--max-messages`, `--timeout-ms` without records, or Ctrl-C,
/// then "Processed a total of N messages" on stderr.
struct ConsoleConsumerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-consumer",
        abstract: "Consume messages from a topic and print them to standard output (kafka-console-consumer.sh)."
    )

    @OptionGroup var server: ServerOptions

    @Option(help: "The topic to consume on.") var topic: String?
    @Option(
        help: ArgumentHelp("Regular expression specifying list of topics to include for consumption.", valueName: "Java regex (String)"))
    var include: String?
    @Option(help: "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.")
    var partition: Int32?
    @Option(
        help: ArgumentHelp(
            "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end (default: latest)",
            valueName: "consume offset"))
    var offset: String?
    @Flag(
        help:
            "If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message."
    )
    var fromBeginning = false
    @Option(help: ArgumentHelp("The consumer group id of the consumer.", valueName: "consumer group id")) var group: String?
    @Option(
        help: ArgumentHelp(
            "The maximum number of messages to consume before exiting. If not set, consumption is continual.", valueName: "num_messages"))
    var maxMessages: Int?
    @Option(
        help: ArgumentHelp(
            "If specified, exit if no message is available for consumption for the specified interval.", valueName: "timeout_ms"))
    var timeoutMs: Int?
    @Option(
        help: ArgumentHelp(
            "The properties to initialize the message formatter: print.timestamp, print.key, print.value, print.partition, print.offset, print.headers, key.separator, line.separator, headers.separator, null.literal.",
            valueName: "prop"))
    var property: [String] = []
    @Option(
        help: ArgumentHelp("A mechanism to pass user-defined properties in the form key=value to the consumer.", valueName: "consumer_prop")
    )
    var consumerProperty: [String] = []
    @Option(
        name: .customLong("consumer.config"),
        help: ArgumentHelp(
            "Consumer config properties file. Note that --consumer-property takes precedence over this config.", valueName: "config file"))
    var consumerConfig: String?
    @Option(
        help: ArgumentHelp(
            "Set to read_committed in order to filter out transactional messages which are not committed. (default: read_uncommitted)",
            valueName: "isolation level"))
    var isolationLevel: String?

    func run() async throws {
        ToolLogging.bootstrap()
        let servers = try server.bootstrapServers()
        try checkArguments()
        let startOffset = try parsedOffset()
        let formatter = try ConsoleRecordFormatter(properties: property)
        if let topic, let partition { try await checkPartitionExists(topic: topic, partition: partition, servers: servers) }
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(properties: try consumerProperties(servers: servers).dictionary))
            if let topic, let partition {
                let topicPartition = TopicPartition(topic: topic, partition: partition)
                try await consumer.assign([topicPartition])
                switch startOffset {
                case -2: try await consumer.seekToBeginning([topicPartition])
                case -1: try await consumer.seekToEnd([topicPartition])
                default: try await consumer.seek(topicPartition, offset: startOffset)
                }
            } else if let topic {
                try await consumer.subscribe(topics: [topic])
            } else {
                try await consumer.subscribe(pattern: include!)
            }
        } catch let error as KafkaError {
            throw CommandFailure.standardError(error.toolMessage)
        }
        let maxMessages = self.maxMessages
        let consuming = Task { () throws -> Int in
            var processed = 0
            guard maxMessages.map({ $0 > 0 }) ?? true else { return 0 }
            for try await record in consumer {
                StandardStreams.out(bytes: formatter.format(record))
                processed += 1
                if processed == maxMessages { break }
            }
            return processed
        }
        // Ctrl-C ends consumption the way Kafka's shutdown hook does: close (commit), then the total.
        let interruption = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                consuming.cancel()
                return true
            }
            return false
        }
        let result = await consuming.result
        interruption.cancel()
        await consumer.close()
        switch result {
        case .success(let processed):
            StandardStreams.err("Processed a total of \(processed) messages\n")
            if await interruption.value { throw CommandFailure(text: "", stream: .standardError, exitCode: 130) }
            if processed == 0, let topic, partition == nil { try await checkTopicExists(topic, servers: servers) }
        case .failure(let error):
            let message = (error as? KafkaError)?.toolMessage ?? "\(error)"
            StandardStreams.err("Error processing message, terminating consumer process: \(message)\n")
            throw CommandFailure.alreadyReported
        }
    }

    /// Kafka would poll an assigned partition that does not exist until stopped; say so instead.
    private func checkPartitionExists(topic: String, partition: Int32, servers: [String]) async throws {
        let partitions = try await ToolClients.withAdmin(servers: servers, properties: ClientProperties()) { admin in
            do {
                return try await admin.describeTopics([topic]).first?.partitions.map(\.partition) ?? []
            } catch let error as KafkaError {
                guard error.errorCode == .unknownTopicOrPartition else { throw error }
                throw CommandFailure.standardError("Topic '\(topic)' does not exist.")
            }
        }
        guard partitions.contains(partition) else {
            throw CommandFailure.standardError("Partition \(partition) of topic '\(topic)' does not exist.")
        }
    }

    /// A subscribed topic that is missing is created by the broker when auto.create.topics.enable
    /// allows; when nothing arrived and it still does not exist, that is worth a line and a status.
    private func checkTopicExists(_ topic: String, servers: [String]) async throws {
        let exists = try await ToolClients.withAdmin(servers: servers, properties: ClientProperties()) { admin in
            try await admin.listTopics().contains(topic)
        }
        if !exists { throw CommandFailure.standardError("Topic '\(topic)' does not exist, and the broker did not create it.") }
    }

    private func checkArguments() throws(CommandFailure) {
        guard (topic == nil) != (include == nil) else { throw .standardError("Exactly one of --include/--topic is required. ") }
        if partition != nil && topic == nil { throw .standardError("The topic is required when partition is specified.") }
        if offset != nil && partition == nil { throw .standardError("The partition is required when offset is specified.") }
        if fromBeginning && offset != nil { throw .standardError("Options from-beginning and offset cannot be specified together.") }
        if group != nil && partition != nil { throw .standardError("Options group and partition cannot be specified together.") }
    }

    /// -2 for earliest (also `--from-beginning` with `--partition`), -1 for latest, else the offset.
    private func parsedOffset() throws(CommandFailure) -> Int64 {
        switch offset?.lowercased() {
        case nil: return fromBeginning ? -2 : -1
        case "earliest": return -2
        case "latest": return -1
        case let text?:
            guard let value = Int64(text), value >= 0 else {
                throw .standardError(
                    "The provided offset value is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.")
            }
            return value
        }
    }

    /// The config file, then `--consumer-property`, then what the options imply, as Kafka's
    /// ConsoleConsumerOptions merges them; without a group, a throwaway group that commits nothing.
    private func consumerProperties(servers: [String]) throws(CommandFailure) -> ClientProperties {
        var properties = ClientProperties()
        properties.set("client.id", "console-consumer")
        properties.set("bootstrap.timeout.ms", ToolClients.bootstrapTimeoutMs)
        if let consumerConfig { try properties.add(file: consumerConfig) }
        try properties.add(assignments: consumerProperty)
        properties.set("bootstrap.servers", servers.joined(separator: ","))
        if let group { properties.set("group.id", group) }
        if properties.value(of: "auto.offset.reset") == nil { properties.set("auto.offset.reset", fromBeginning ? "earliest" : "latest") }
        if let isolationLevel { properties.set("isolation.level", isolationLevel) }
        if let timeoutMs { properties.set("consumer.timeout.ms", "\(timeoutMs)") }
        if partition == nil && properties.value(of: "group.id") == nil {
            properties.set("group.id", "console-consumer-\(Int.random(in: 0..<100_000))")
            if properties.value(of: "enable.auto.commit") == nil { properties.set("enable.auto.commit", "false") }
        }
        return properties
    }
}
