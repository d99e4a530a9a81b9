import NIOCore

/// What every connection of a client shares, taken from the public configurations.
struct ConnectionConfiguration: Sendable {
    var clientId: String?
    /// `request_timeout_ms`: how long a request (and the connect plus handshake) may take.
    var requestTimeout: TimeAmount
    /// `receive_message_max_bytes`: the largest response frame accepted.
    var maximumResponseSize: Int
    /// `security_protocol` SSL or SASL_SSL: every connection starts with this TLS handshake.
    var tls: ClientTLS?
    /// `security_protocol` SASL_PLAINTEXT or SASL_SSL: every connection authenticates so after ApiVersions.
    var sasl: ClientSASL?
}
