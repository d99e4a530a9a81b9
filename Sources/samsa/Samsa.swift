import ArgumentParser

@main
struct Samsa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samsa",
        abstract: "A Kafka-compatible broker and the Kafka shell tools, in one Swift executable.",
        subcommands: [BrokerCommand.self]
    )
}
