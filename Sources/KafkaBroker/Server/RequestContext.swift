import KafkaProtocol

/// What a handler knows about the request besides its body.
public struct RequestContext: Sendable {
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?
    /// The client's address as Kafka prints it in DescribeGroups ("/127.0.0.1").
    public var clientHost: String
    /// Unique per connection, for logs and for closing connections.
    public var connectionId: UInt64
    /// Who the connection authenticated as; what the authorizer checks.
    public var principal: KafkaPrincipal = .anonymous
    /// The name of the listener the connection came in on; its advertised address is the one
    /// Metadata, FindCoordinator and DescribeCluster answer with.
    public var listenerName: String = "PLAINTEXT"
    /// The listener's protocol: whether the connection is encrypted and must authenticate.
    public var securityProtocol: SecurityProtocol = .plaintext
}
