import ArgumentParser
import KafkaBroker
import Logging
import ServiceLifecycle

/// `samsa broker`: Kafka's `kafka-server-start.sh`, without ZooKeeper or a separate controller.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Runs the Kafka-compatible broker (PLAINTEXT://localhost:9092, data in ./samsa-data by default).",
        discussion: "Settings use Kafka's server.properties names, e.g. --override log.dirs=/var/lib/samsa --override num.partitions=3."
    )

    @Option(name: .long, help: "A server.properties file.")
    var config: String?

    @Option(name: .long, help: "A setting as key=value; overrides the file. Repeatable.")
    var override: [String] = []

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "samsa.broker")
        var properties: [(key: String, value: String)] = []
        if let config {
            let text: String
            do {
                text = try readTextFile(config)
            } catch {
                throw ValidationError("Cannot read the configuration file '\(config)': \(error)")
            }
            properties += BrokerConfiguration.parseProperties(text)
        }
        for entry in override {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--override expects key=value, got '\(entry)'")
            }
            properties.append((String(entry[..<equals]), String(entry[entry.index(after: equals)...])))
        }
        let configuration: BrokerConfiguration
        do {
            configuration = try BrokerConfiguration(properties: properties) { logger.warning("\($0)") }
        } catch let error as BrokerConfigurationError {
            throw ValidationError(error.description)
        }
        let broker = try Broker(configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [broker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
