import ArgumentParser
import KafkaClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct Samsa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samsa",
        abstract: "A Kafka-compatible broker and the Kafka shell tools, in one Swift executable.",
        discussion: "Each tool takes the flags of its Kafka script: `samsa topics` is kafka-topics.sh, and so on.",
        subcommands: [
            BrokerCommand.self, TopicsCommand.self, ConfigsCommand.self, ConsoleProducerCommand.self,
            ConsoleConsumerCommand.self, ConsumerGroupsCommand.self, PerfCommand.self, DeleteRecordsCommand.self,
            LogDirsCommand.self, AclsCommand.self, TransactionsCommand.self, SettingsTableCommand.self, StorageCommand.self,
        ]
    )

    /// Runs the command; failures print one line, as the tools promise, rather than
    /// ArgumentParser's usage block (`--help` still prints the full help).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(ToolArguments.normalized(arguments))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            failure.report()
            terminate(failure.exitCode)
        } catch let error as KafkaError {
            // Tools map the failures they expect to Kafka's texts; any other is still one line.
            StandardStreams.err(error.toolMessage + "\n")
            terminate(1)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let tool = ToolArguments.subcommandName(in: arguments).map { "samsa \($0)" } ?? "samsa"
            StandardStreams.err("Error: \(message(for: error)) (see '\(tool) --help')\n")
            terminate(code.rawValue)
        }
    }
}

/// The C library's `exit`, which ArgumentParser's `exit(withError:)` hides inside a command type.
private func terminate(_ status: Int32) -> Never {
    exit(status)
}
