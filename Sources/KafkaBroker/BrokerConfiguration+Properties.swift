import KafkaProperties
import Logging

/// A setting that stops start-up: unknown to Kafka, or with a value Samsa cannot use.
public struct BrokerConfigurationError: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "Invalid broker setting '\(key)': \(message)" }
}

extension BrokerConfiguration {
    /// Builds a configuration from server.properties entries (later entries win), following the
    /// declarations of `settings`.
    ///
    /// Keys Kafka defines but Samsa has no use for are accepted and reported through `warn`, so
    /// that Kafka's own sample server.properties starts; any other unknown key, or a value that
    /// does not parse, throws.
    public init(properties: [(key: String, value: String)], warn: (String) -> Void = { _ in }) throws {
        self.init()
        var values = Dictionary(properties, uniquingKeysWith: { _, later in later })
        Self.gatherJaasConfigs(in: &values)
        for key in values.keys.sorted() where Self.settingsByKey[key] == nil && Self.listenerSSLOverride(key) == nil {
            if Self.kafkaKeysWithoutEffect.contains(key) || key.hasPrefix("listener.name.") {
                warn("Ignoring Kafka setting '\(key)': it has no effect on Samsa (a single broker)")
            } else {
                throw BrokerConfigurationError(key: key, message: "unknown setting")
            }
        }
        for setting in Self.settings where setting.origin != .embeddingOnly {
            guard let (key, text) = try setting.givenValue(in: values) else { continue }
            do {
                try setting.apply(&self, text)
            } catch {
                throw BrokerConfigurationError(key: key, message: error.message)
            }
        }
        listenerSSLOverrides = try Self.listenerSSLOverrides(in: values)
        for name in listenerSSLOverrides.keys {
            _ = try tlsSettings(forListener: name)
        }
    }

    /// The declarations by every key they are read under; embedding-only settings have no key.
    static let settingsByKey: [String: BrokerSetting] = Dictionary(
        uniqueKeysWithValues: settings.filter { $0.origin != .embeddingOnly }.flatMap { setting in setting.keys.map { ($0, setting) } })

    /// The settings whose value differs from Samsa's default, by key, for the start-up log: what a
    /// reader of that log needs to know about this broker at a glance.
    public var settingsDifferingFromDefaults: [(key: String, value: String, defaultValue: String)] {
        let defaults = BrokerConfiguration()
        return Self.settings.compactMap { setting in
            let value = setting.describe(self)
            let defaultValue = setting.describe(defaults)
            return value == defaultValue ? nil : (setting.key, value, defaultValue)
        }
    }

    /// The key that stands for every `listener.name.<listener>.<mechanism>.sasl.jaas.config`.
    static let saslJaasConfigKey = "listener.name.<listener>.<mechanism>.sasl.jaas.config"

    /// Moves the per-listener JAAS lines into one value of `saslJaasConfigKey`, a line each of
    /// `<listener>.<mechanism>=<JAAS text>` (server.properties values hold no line breaks).
    private static func gatherJaasConfigs(in values: inout [String: String]) {
        var lines: [String] = []
        for (key, value) in values where key.hasPrefix("listener.name.") && key.hasSuffix(".sasl.jaas.config") {
            let scope = key.dropFirst("listener.name.".count).dropLast(".sasl.jaas.config".count)
            guard scope.split(separator: ".").count == 2 else { continue }
            lines.append("\(scope.lowercased())=\(value)")
            values[key] = nil
        }
        if !lines.isEmpty { values[saslJaasConfigKey] = lines.sorted().joined(separator: "\n") }
    }

    /// Parses the gathered JAAS lines, checking each login module's syntax.
    static func jaasConfigs(_ text: String) throws(SettingValueError) -> [String: String] {
        var configs: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let scope = String(line[..<equals])
            let value = String(line[line.index(after: equals)...])
            do {
                _ = try JaasLoginModule(parsing: value)
            } catch {
                throw SettingValueError(message: "listener.name.\(scope).sasl.jaas.config: \(error.message)")
            }
            configs[scope] = value
        }
        return configs
    }

    /// Parses `max.connections.per.ip.overrides`: `host:count` pairs separated by commas (the
    /// last colon separates, so IPv6 addresses work).
    static func connectionOverrides(in text: String) throws(SettingValueError) -> [String: Int32] {
        var overrides: [String: Int32] = [:]
        for entry in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !entry.isEmpty {
            guard let colon = entry.lastIndex(of: ":"), colon != entry.startIndex,
                let count = Int32(entry[entry.index(after: colon)...]), count >= 0
            else {
                throw SettingValueError(message: "'\(entry)' is not of the form host:count")
            }
            overrides[String(entry[..<colon])] = count
        }
        return overrides
    }

    /// An `http://host:port` address; nil for an empty value. An empty host means "localhost".
    static func httpListener(_ text: String) throws(SettingValueError) -> Listener? {
        guard !text.isEmpty else { return nil }
        guard text.lowercased().hasPrefix("http://") else {
            throw SettingValueError(message: "'\(text)' is not of the form http://host:port (or empty to turn it off)")
        }
        var address = text.dropFirst("http://".count)
        if address.hasSuffix("/") { address = address.dropLast() }
        guard let listener = hostAndPort(address) else {
            throw SettingValueError(message: "'\(text)' has no valid port")
        }
        return listener
    }

    /// swift-log's level names, and log4j's WARN and FATAL as Kafka's log4j.properties spell them.
    static func parseLogLevel(_ text: String) throws(SettingValueError) -> Logger.Level {
        switch text.lowercased() {
        case "warn": return .warning
        case "fatal": return .critical
        case let name:
            guard let level = Logger.Level(rawValue: name) else {
                let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw SettingValueError(message: "'\(text)' is not one of \(names)")
            }
            return level
        }
    }
}
