/// kafka-python's `security_protocol` values.
public enum KafkaSecurityProtocol: String, Sendable, Equatable {
    case plaintext = "PLAINTEXT"
    case ssl = "SSL"
    case saslPlaintext = "SASL_PLAINTEXT"
    case saslSSL = "SASL_SSL"

    /// Parses Kafka's spelling in any case.
    public init?(kafkaValue: String) {
        self.init(rawValue: kafkaValue.uppercased())
    }

    /// Whether connections start with a TLS handshake.
    public var usesTLS: Bool { self == .ssl || self == .saslSSL }

    /// Whether connections authenticate with SASL before any other request.
    public var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
}

/// kafka-python's `sasl_mechanism` values.
public enum KafkaSaslMechanism: String, Sendable, Equatable {
    /// The user name and password in clear (RFC 4616): use it over SASL_SSL only.
    case plain = "PLAIN"
    /// Salted challenge-response (RFC 5802, RFC 7677): the password never crosses the network.
    case scramSHA256 = "SCRAM-SHA-256"
    case scramSHA512 = "SCRAM-SHA-512"

    /// Parses Kafka's spelling in any case.
    public init?(kafkaValue: String) {
        self.init(rawValue: kafkaValue.uppercased())
    }
}

/// kafka-python's TLS and SASL options, shared by the producer, consumer and admin configurations.
public struct KafkaSecurityOptions: Sendable, Equatable {
    /// kafka-python `security_protocol`, default `PLAINTEXT`: `SSL` connects with TLS,
    /// `SASL_PLAINTEXT` authenticates with SASL, `SASL_SSL` does both.
    public var securityProtocol: KafkaSecurityProtocol = .plaintext
    /// kafka-python `ssl_cafile`: the CA certificates (PEM) the broker's certificate must chain
    /// to; nil trusts the system's CAs.
    public var sslCafile: String?
    /// kafka-python `ssl_certfile`: a client certificate (PEM) for brokers that ask for one.
    public var sslCertfile: String?
    /// kafka-python `ssl_keyfile`: the client certificate's private key (PEM); nil reads it from
    /// `sslCertfile`.
    public var sslKeyfile: String?
    /// kafka-python `ssl_password`: the password of an encrypted `sslKeyfile`.
    public var sslPassword: String?
    /// kafka-python `ssl_check_hostname`, default `True`: the broker's certificate must name the
    /// host (or IP address) connected to.
    public var sslCheckHostname: Bool = true
    /// kafka-python `sasl_mechanism`, default `PLAIN`.
    public var saslMechanism: KafkaSaslMechanism = .plain
    /// kafka-python `sasl_plain_username`: the SASL user, for every mechanism.
    public var saslPlainUsername: String?
    /// kafka-python `sasl_plain_password`: that user's password, for every mechanism.
    public var saslPlainPassword: String?
    /// Java's `sasl.jaas.config`, which Kafka's client property files carry: its login module
    /// line's `username="…"` and `password="…"` stand in for `saslPlainUsername` and
    /// `saslPlainPassword` when those are nil, whichever module (PLAIN or SCRAM) it names.
    public var saslJaasConfig: String?

    public init() {}

    /// The `username` and `password` options of a JAAS login module line, or nil without both.
    public static func jaasLogin(_ line: String) -> (username: String, password: String)? {
        guard let username = line.firstMatch(of: /username="([^"]*)"/)?.1, let password = line.firstMatch(of: /password="([^"]*)"/)?.1
        else { return nil }
        return (String(username), String(password))
    }
}

/// A client configuration with `security`: its options read and set by their kafka-python names
/// on the configuration itself (`configuration.sslCafile`).
public protocol KafkaSecurityConfigurable {
    var security: KafkaSecurityOptions { get set }
}

extension KafkaSecurityConfigurable {
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<KafkaSecurityOptions, Value>) -> Value {
        get { security[keyPath: keyPath] }
        set { security[keyPath: keyPath] = newValue }
    }
}
