/// Reads `init(properties:)` dictionaries: kafka-python's snake_case keys and Java's dotted keys
/// (`bootstrap_servers`, `bootstrap.servers`) are the same setting. Every key must be used by the
/// configuration being built; `finish()` rejects the rest, as kafka-python does for unknown configs.
struct ConfigurationProperties {
    private var remaining: [String: (key: String, value: String)] = [:]

    init(_ properties: [String: String]) throws(KafkaError) {
        for (key, value) in properties {
            let normalized = Self.normalize(key)
            if let other = remaining[normalized] {
                throw KafkaError.invalidConfiguration("'\(key)' and '\(other.key)' set the same option")
            }
            remaining[normalized] = (key, value.trimmingWhitespace())
        }
    }

    /// `bootstrap.servers`, `bootstrap-servers` and `Bootstrap_Servers` all become `bootstrap_servers`.
    static func normalize(_ key: String) -> String {
        String(key.lowercased().map { $0 == "." || $0 == "-" ? "_" : $0 })
    }

    mutating func string(_ key: String) -> String? {
        remaining.removeValue(forKey: key)?.value
    }

    mutating func int(_ key: String) throws(KafkaError) -> Int? {
        guard let (original, text) = remaining.removeValue(forKey: key) else { return nil }
        guard let value = Int(text) else {
            throw KafkaError.invalidConfiguration("'\(original)' must be an integer, not '\(text)'")
        }
        return value
    }

    mutating func bool(_ key: String) throws(KafkaError) -> Bool? {
        guard let (original, text) = remaining.removeValue(forKey: key) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw KafkaError.invalidConfiguration("'\(original)' must be true or false, not '\(text)'")
        }
    }

    /// A comma-separated list.
    mutating func list(_ key: String) -> [String]? {
        string(key).map { $0.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } }
    }

    /// Parses a value with `parse`, naming the key in the error when it returns nil.
    mutating func value<T>(_ key: String, expected: String, _ parse: (String) -> T?) throws(KafkaError) -> T? {
        guard let (original, text) = remaining.removeValue(forKey: key) else { return nil }
        guard let value = parse(text) else {
            throw KafkaError.invalidConfiguration("'\(original)' must be \(expected), not '\(text)'")
        }
        return value
    }

    func finish() throws(KafkaError) {
        guard remaining.isEmpty else {
            let keys = remaining.values.map(\.key).sorted().joined(separator: ", ")
            throw KafkaError.invalidConfiguration("unrecognized configs: \(keys)")
        }
    }
}
