/// Kafka's four security protocols, the right-hand side of `listener.security.protocol.map`.
public enum SecurityProtocol: String, Sendable, Equatable, CaseIterable {
    case plaintext = "PLAINTEXT"
    case ssl = "SSL"
    case saslPlaintext = "SASL_PLAINTEXT"
    case saslSSL = "SASL_SSL"

    /// Whether connections on such a listener start with a TLS handshake.
    public var usesTLS: Bool { self == .ssl || self == .saslSSL }

    /// Whether a connection must authenticate with SaslHandshake and SaslAuthenticate before any
    /// request other than ApiVersions is answered.
    public var requiresSASL: Bool { self == .saslPlaintext || self == .saslSSL }
}
