import Foundation
import KafkaProperties

/// Client settings gathered from a tool's flags, `--…-property key=value` options and property
/// files, handed to the SDK's `init(properties:)`. Keys are compared the way the SDK reads them
/// (`linger.ms` and `linger_ms` are one setting), and a later value replaces an earlier one, so a
/// user's property overrides the tool's default.
struct ClientProperties {
    private var entries: [String: (key: String, value: String)] = [:]

    var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: entries.values.map { ($0.key, $0.value) })
    }

    mutating func set(_ key: String, _ value: String) {
        entries[Self.normalize(key)] = (key, value)
    }

    func value(of key: String) -> String? {
        entries[Self.normalize(key)]?.value
    }

    /// `key=value` arguments, split at the first '=' as Kafka's `parseKeyValueArgs` does.
    mutating func add(assignments: [String]) throws(CommandFailure) {
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw .standardError("Invalid command line properties: \(assignment)")
            }
            set(String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
        }
    }

    /// A Java properties file such as `--command-config` or `--producer.config` names.
    mutating func add(file path: String) throws(CommandFailure) {
        let text: String
        do {
            text = try readTextFile(path)
        } catch {
            throw .standardError("Cannot read the properties file '\(path)': \(error.localizedDescription)")
        }
        for entry in JavaProperties.parse(text) { set(entry.key, entry.value) }
    }

    private static func normalize(_ key: String) -> String {
        String(key.lowercased().map { $0 == "." || $0 == "-" ? "_" : $0 })
    }
}
