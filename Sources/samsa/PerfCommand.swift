import ArgumentParser

/// `samsa perf`: Kafka's kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh.
struct PerfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Measure producer and consumer throughput (kafka-producer-perf-test.sh, kafka-consumer-perf-test.sh).",
        subcommands: [PerfProduceCommand.self]
    )
}
