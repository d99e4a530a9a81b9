import ArgumentParser
import KafkaBroker
import KafkaProperties

/// `--config server.properties` and repeatable `--override key=value`, which `samsa broker` and
/// `samsa storage format` read the same way.
struct ServerPropertiesOptions: ParsableArguments {
    @Option(name: [.long, .customShort("c")], help: "A server.properties file.")
    var config: String?

    @Option(name: .long, help: "A setting as key=value; overrides the file. Repeatable.")
    var override: [String] = []

    /// The broker configuration; `warn` gets the lines about Kafka keys without effect.
    func configuration(warn: (String) -> Void) throws -> BrokerConfiguration {
        var properties: [(key: String, value: String)] = []
        if let config {
            let text: String
            do {
                text = try readTextFile(config)
            } catch {
                throw ValidationError("Cannot read the configuration file '\(config)': \(error)")
            }
            properties += JavaProperties.parse(text)
        }
        for entry in override {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--override expects key=value, got '\(entry)'")
            }
            properties.append((String(entry[..<equals]), String(entry[entry.index(after: equals)...])))
        }
        do {
            return try BrokerConfiguration(properties: properties, warn: warn)
        } catch let error as BrokerConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
