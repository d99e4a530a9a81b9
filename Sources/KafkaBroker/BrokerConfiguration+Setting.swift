import KafkaProperties

/// Kafka's `ConfigDef.Type`, as DescribeConfigs reports a setting's type (v3+).
enum ConfigValueType: Int8, Sendable {
    case boolean = 1
    case string = 2
    case int = 3
    case short = 4
    case long = 5
    case double = 6
    case list = 7

    /// Kafka's name for the type, as its documentation prints it.
    var name: String {
        switch self {
        case .boolean: "boolean"
        case .string: "string"
        case .int: "int"
        case .short: "short"
        case .long: "long"
        case .double: "double"
        case .list: "list"
        }
    }
}

/// Why a setting's text was refused; the parser adds the key it was read under.
struct SettingValueError: Error {
    var message: String
}

/// One setting, declared once: its key and other spellings, type, validation, documentation and
/// how it differs from Kafka. `Root` is the typed value it sets: `BrokerConfiguration` for the
/// broker's settings (`BrokerConfiguration.settings`), `TopicSettings` for a topic's
/// (`TopicSettings.definitions`). Parsing, the start-up log, DescribeConfigs and the README's
/// settings table all read these declarations.
struct Setting<Root>: Sendable {
    /// Whose key this is.
    enum Origin: Sendable {
        /// A key of Kafka's.
        case kafka
        /// A key Samsa adds; Kafka does not know it.
        case samsa
        /// No key: code that embeds the broker sets it, so it is named by its property.
        case embeddingOnly
        /// A key Kafka defines that changes nothing in Samsa; its value is still checked.
        case withoutEffect
    }

    /// Another key for the same setting, read only when the main key and the aliases before it
    /// are absent. Its value is in `multiplier` times smaller units (hours against milliseconds);
    /// a negative value stays -1, which means "unlimited" wherever Kafka has such aliases.
    struct Alias: Sendable {
        var key: String
        var multiplier: Int64?
    }

    /// Kafka's default, where Samsa's differs, and why.
    struct KafkaDifference: Sendable {
        var kafkaDefault: String
        var reason: String
    }

    let key: String
    let aliases: [Alias]
    let type: ConfigValueType
    let origin: Origin
    let documentation: String
    let differenceFromKafka: KafkaDifference?
    /// What the start-up log and the README say when the setting has no value (nil from `render`).
    let unsetDescription: String
    /// Parses and validates `text`, then stores it; may read settings declared earlier.
    let apply: @Sendable (inout Root, String) throws(SettingValueError) -> Void
    /// The setting's value in Kafka's spelling; nil when it has none.
    let render: @Sendable (Root) -> String?

    init<Value>(
        _ key: String, _ keyPath: any WritableKeyPath<Root, Value> & Sendable, type: ConfigValueType,
        origin: Origin = .kafka, aliases: [Alias] = [], differenceFromKafka: KafkaDifference? = nil,
        unsetDescription: String = "", documentation: String,
        parse: @escaping @Sendable (String, Root) throws(SettingValueError) -> Value,
        render: @escaping @Sendable (Value) -> String?
    ) {
        self.key = key
        self.aliases = aliases
        self.type = type
        self.origin = origin
        self.documentation = documentation
        self.differenceFromKafka = differenceFromKafka
        self.unsetDescription = unsetDescription
        self.apply = { (root: inout Root, text: String) throws(SettingValueError) in
            root[keyPath: keyPath] = try parse(text, root)
        }
        self.render = { render($0[keyPath: keyPath]) }
    }

    /// A setting without a key, which only code that embeds the broker sets: no text is read for it.
    static func embeddingOnly<Value: Sendable>(
        _ propertyName: String, _ keyPath: any WritableKeyPath<Root, Value> & Sendable, type: ConfigValueType, documentation: String
    ) -> Setting {
        Setting(
            propertyName, keyPath, type: type, origin: .embeddingOnly, documentation: documentation,
            parse: { _, _ throws(SettingValueError) in throw SettingValueError(message: "has no server.properties key") },
            render: { "\($0)" })
    }

    /// A Kafka setting Samsa accepts, checks against its type and otherwise ignores.
    static func withoutEffect(_ key: String, type: ConfigValueType, default defaultValue: String) -> Setting {
        Setting(key: key, type: type, defaultValue: defaultValue)
    }

    private init(key: String, type: ConfigValueType, defaultValue: String) {
        self.key = key
        self.aliases = []
        self.type = type
        self.origin = .withoutEffect
        self.documentation = "Accepted for compatibility; has no effect in Samsa."
        self.differenceFromKafka = nil
        self.unsetDescription = ""
        self.apply = { _, text throws(SettingValueError) in
            let valid: Bool =
                switch type {
                case .boolean: ["true", "false"].contains(text.trimmingWhitespace().lowercased())
                case .int, .short, .long: Int64(text.trimmingWhitespace()) != nil
                case .double: Double(text.trimmingWhitespace()) != nil
                case .string, .list: true
                }
            guard valid else { throw SettingValueError(message: "'\(text)' is not a valid \(type.name)") }
        }
        self.render = { _ in defaultValue }
    }

    /// Every key this setting is read under, in precedence order.
    var keys: [String] { [key] + aliases.map(\.key) }

    /// The value in the main key's units, from the first of its keys that `values` has, with the
    /// key it came from.
    func givenValue(in values: [String: String]) throws(BrokerConfigurationError) -> (key: String, text: String)? {
        if let text = values[key] { return (key, text) }
        for alias in aliases {
            guard let text = values[alias.key] else { continue }
            guard let multiplier = alias.multiplier else { return (alias.key, text) }
            guard let count = Int64(text.trimmingWhitespace()) else {
                throw BrokerConfigurationError(key: alias.key, message: "'\(text)' is not a whole number")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { throw BrokerConfigurationError(key: alias.key, message: "\(count) is out of range") }
            return (alias.key, count < 0 ? "-1" : "\(product)")
        }
        return nil
    }

    /// The setting's value in `root`, or `unsetDescription`, for people to read.
    func describe(_ root: Root) -> String {
        render(root) ?? unsetDescription
    }
}

typealias BrokerSetting = Setting<BrokerConfiguration>

extension Setting {
    /// A whole number within `range`; DescribeConfigs calls it an int or a long after Kafka's type.
    static func integer<Value: FixedWidthInteger & Sendable>(
        _ key: String, _ keyPath: any WritableKeyPath<Root, Value> & Sendable,
        in range: ClosedRange<Int64> = Int64(Value.min)...Int64(Value.max), type: ConfigValueType? = nil,
        aliases: [Alias] = [], differenceFromKafka: KafkaDifference? = nil, documentation: String
    ) -> Setting {
        Setting(
            key, keyPath, type: type ?? (Value.bitWidth > 32 ? .long : .int), aliases: aliases,
            differenceFromKafka: differenceFromKafka, documentation: documentation,
            parse: { text, _ throws(SettingValueError) in Value(try wholeNumber(text, in: range)) },
            render: { "\($0)" })
    }

    /// A decimal number within `range`, such as a ratio.
    static func decimal(
        _ key: String, _ keyPath: any WritableKeyPath<Root, Double> & Sendable, in range: ClosedRange<Double>, documentation: String
    ) -> Setting {
        Setting(
            key, keyPath, type: .double, documentation: documentation,
            parse: { text, _ throws(SettingValueError) in
                guard let value = Double(text.trimmingWhitespace()), range.contains(value) else {
                    throw SettingValueError(message: "'\(text)' is not a number from \(range.lowerBound) to \(range.upperBound)")
                }
                return value
            },
            render: { "\($0)" })
    }

    /// `true` or `false`, in any case.
    static func boolean(
        _ key: String, _ keyPath: any WritableKeyPath<Root, Bool> & Sendable, documentation: String
    ) -> Setting {
        Setting(
            key, keyPath, type: .boolean, documentation: documentation,
            parse: { text, _ throws(SettingValueError) in
                switch text.trimmingWhitespace().lowercased() {
                case "true": return true
                case "false": return false
                default: throw SettingValueError(message: "'\(text)' is not true or false")
                }
            },
            render: { "\($0)" })
    }

    /// One of a fixed list of words.
    static func choice<Value: Sendable>(
        _ key: String, _ keyPath: any WritableKeyPath<Root, Value> & Sendable,
        _ choices: KeyValuePairs<String, Value>, differenceFromKafka: KafkaDifference? = nil, documentation: String
    ) -> Setting where Value: Equatable {
        let choices = choices.map { (name: $0.key, value: $0.value) }
        return Setting(
            key, keyPath, type: .string, differenceFromKafka: differenceFromKafka,
            documentation: documentation + " One of " + choices.map(\.name).joined(separator: ", ") + ".",
            parse: { text, _ throws(SettingValueError) in
                guard let choice = choices.first(where: { $0.name == text.trimmingWhitespace() }) else {
                    throw SettingValueError(message: "'\(text)' is not one of \(choices.map(\.name).joined(separator: ", "))")
                }
                return choice.value
            },
            render: { value in choices.first { $0.value == value }?.name })
    }

    static func wholeNumber(_ text: String, in range: ClosedRange<Int64>) throws(SettingValueError) -> Int64 {
        guard let value = Int64(text.trimmingWhitespace()) else {
            throw SettingValueError(message: "'\(text)' is not a whole number")
        }
        guard range.contains(value) else {
            throw SettingValueError(message: "\(value) is out of range (at least \(range.lowerBound), at most \(range.upperBound))")
        }
        return value
    }
}
