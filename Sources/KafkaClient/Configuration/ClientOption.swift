/// One option of a client configuration, declared once: its kafka-python name (Java's dotted
/// spelling follows from it), how its text is parsed, and the range its value must keep. The
/// configuration's `init(properties:)` and its validation before a client starts both follow
/// from the declarations; the default is the initial value of the property it sets.
struct ClientOption<Configuration>: Sendable {
    /// kafka-python's name, e.g. `linger_ms`.
    let name: String
    /// Parses the text given under a key (either spelling, named in errors) and stores the value.
    let apply: @Sendable (inout Configuration, _ key: String, _ text: String) throws(KafkaError) -> Void
    /// Checks the typed value, however it was set; nil where every value the type holds is valid.
    let validate: (@Sendable (Configuration) throws(KafkaError) -> Void)?

    /// Java's spelling, e.g. `linger.ms`; `init(properties:)` takes either.
    var javaName: String { String(name.map { $0 == "_" ? "." : $0 }) }

    /// An option whose text `parse` turns into the value, or nil when it is not `expected`.
    static func parsed<Value>(
        _ name: String, _ keyPath: any WritableKeyPath<Configuration, Value> & Sendable, expected: String,
        parse: @escaping @Sendable (String) -> Value?, validate: (@Sendable (Value) -> String?)? = nil
    ) -> ClientOption {
        let apply: @Sendable (inout Configuration, String, String) throws(KafkaError) -> Void = {
            configuration, key, text throws(KafkaError) in
            guard let value = parse(text) else {
                throw KafkaError.invalidConfiguration("'\(key)' must be \(expected), not '\(text)'")
            }
            configuration[keyPath: keyPath] = value
        }
        guard let validate else { return ClientOption(name: name, apply: apply, validate: nil) }
        return ClientOption(
            name: name, apply: apply,
            validate: { configuration throws(KafkaError) in
                if let problem = validate(configuration[keyPath: keyPath]) {
                    throw KafkaError.invalidConfiguration("\(name) \(problem)")
                }
            })
    }

    /// A whole number of at least `minimum` (if given).
    static func integer(_ name: String, _ keyPath: any WritableKeyPath<Configuration, Int> & Sendable, atLeast minimum: Int? = nil)
        -> ClientOption
    {
        parsed(
            name, keyPath, expected: "an integer", parse: { Int($0) },
            validate: minimum.map { minimum in
                { value in
                    guard value < minimum else { return nil }
                    switch minimum {
                    case 1: return "must be positive, not \(value)"
                    case 0: return "must not be negative, not \(value)"
                    default: return "must be at least \(minimum), not \(value)"
                    }
                }
            })
    }

    /// true/false (also 1/0 and yes/no, as Python's configuration files allow).
    static func boolean(_ name: String, _ keyPath: any WritableKeyPath<Configuration, Bool> & Sendable) -> ClientOption {
        parsed(name, keyPath, expected: "true or false") { text in
            switch text.lowercased() {
            case "true", "1", "yes": true
            case "false", "0", "no": false
            default: nil
            }
        }
    }

    static func text(_ name: String, _ keyPath: any WritableKeyPath<Configuration, String> & Sendable) -> ClientOption {
        parsed(name, keyPath, expected: "text") { $0 }
    }

    static func optionalText(_ name: String, _ keyPath: any WritableKeyPath<Configuration, String?> & Sendable) -> ClientOption {
        parsed(name, keyPath, expected: "text") { $0 }
    }

    /// A comma-separated list.
    static func list(_ name: String, _ keyPath: any WritableKeyPath<Configuration, [String]> & Sendable) -> ClientOption {
        parsed(name, keyPath, expected: "a list") { text in
            text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
    }
}

/// The options every client has: where the cluster is and how connections to it behave.
protocol ClientConnectionOptions {
    var bootstrapServers: [String] { get set }
    var requestTimeoutMs: Int { get set }
    var reconnectBackoffMs: Int { get set }
    var reconnectBackoffMaxMs: Int { get set }
    var receiveMessageMaxBytes: Int { get set }
    var retryBackoffMs: Int { get set }
    var metadataMaxAgeMs: Int { get set }
    var bootstrapTimeoutMs: Int { get set }
    var security: KafkaSecurityOptions { get set }
}

extension ClientOption where Configuration: ClientConnectionOptions {
    static var connectionOptions: [ClientOption] {
        [
            .list("bootstrap_servers", \.bootstrapServers),
            .integer("request_timeout_ms", \.requestTimeoutMs, atLeast: 1),
            .integer("reconnect_backoff_ms", \.reconnectBackoffMs, atLeast: 0),
            .integer("reconnect_backoff_max_ms", \.reconnectBackoffMaxMs, atLeast: 0),
            .integer("receive_message_max_bytes", \.receiveMessageMaxBytes, atLeast: 1),
            .integer("retry_backoff_ms", \.retryBackoffMs, atLeast: 0),
            .integer("metadata_max_age_ms", \.metadataMaxAgeMs, atLeast: 0),
            .integer("bootstrap_timeout_ms", \.bootstrapTimeoutMs, atLeast: 1),
            .parsed(
                "security_protocol", \.security.securityProtocol, expected: "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL",
                parse: KafkaSecurityProtocol.init(kafkaValue:)),
            .optionalText("ssl_cafile", \.security.sslCafile),
            .optionalText("ssl_certfile", \.security.sslCertfile),
            .optionalText("ssl_keyfile", \.security.sslKeyfile),
            .optionalText("ssl_password", \.security.sslPassword),
            .boolean("ssl_check_hostname", \.security.sslCheckHostname),
            .parsed(
                "sasl_mechanism", \.security.saslMechanism, expected: "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
                parse: KafkaSaslMechanism.init(kafkaValue:)),
            .optionalText("sasl_plain_username", \.security.saslPlainUsername),
            .optionalText("sasl_plain_password", \.security.saslPlainPassword),
            .parsed(
                "sasl_jaas_config", \.security.saslJaasConfig, expected: #"a login module line with username="…" and password="…""#,
                // The option's value is optional: `.none` (not a nil String) is what refuses the text.
                parse: { (text: String) -> String?? in KafkaSecurityOptions.jaasLogin(text) == nil ? .none : .some(text) }),
        ]
    }
}

extension Array {
    /// Sets the options that `properties` names, by kafka-python's or Java's spelling. A key that
    /// names no option, or two keys naming the same one, throw, as kafka-python refuses unknown configs.
    func apply<Configuration>(_ properties: [String: String], to configuration: inout Configuration) throws(KafkaError)
    where Element == ClientOption<Configuration> {
        var given: [String: (key: String, value: String)] = [:]
        for (key, value) in properties {
            let name = Self.optionName(key)
            if let other = given[name] {
                throw KafkaError.invalidConfiguration("'\(key)' and '\(other.key)' set the same option")
            }
            given[name] = (key, value.trimmingWhitespace())
        }
        let unknown = given.filter { name, _ in !contains { $0.name == name } }
        guard unknown.isEmpty else {
            throw KafkaError.invalidConfiguration("unrecognized configs: \(unknown.values.map(\.key).sorted().joined(separator: ", "))")
        }
        for option in self {
            guard let (key, text) = given[option.name] else { continue }
            try option.apply(&configuration, key, text)
        }
    }

    /// Checks every option's value.
    func validate<Configuration>(_ configuration: Configuration) throws(KafkaError) where Element == ClientOption<Configuration> {
        for option in self { try option.validate?(configuration) }
    }

    /// `bootstrap.servers`, `bootstrap-servers` and `Bootstrap_Servers` all name `bootstrap_servers`.
    static func optionName(_ key: String) -> String {
        String(key.lowercased().map { $0 == "." || $0 == "-" ? "_" : $0 })
    }
}
