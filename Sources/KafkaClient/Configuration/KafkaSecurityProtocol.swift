/// kafka-python's `security_protocol` values the SDK speaks.
public enum KafkaSecurityProtocol: String, Sendable, Equatable {
    case plaintext = "PLAINTEXT"
    case ssl = "SSL"

    /// Parses Kafka's spelling in any case.
    public init?(kafkaValue: String) {
        self.init(rawValue: kafkaValue.uppercased())
    }
}

/// kafka-python's TLS options, shared by the producer, consumer and admin configurations.
public struct KafkaSecurityOptions: Sendable, Equatable {
    /// kafka-python `security_protocol`, default `PLAINTEXT`: `SSL` connects with TLS.
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

    public init() {}
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
