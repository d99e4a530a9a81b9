import KafkaProtocol

/// One Kafka API implemented by the broker: what ApiVersions advertises is derived from these.
protocol ApiHandler: Sendable {
    associatedtype Request: KafkaRequestMessage
    /// The versions this broker implements. Never above what the generated messages define.
    var versions: ClosedRange<Int16> { get }
    /// Answers one request; nil means no response at all (Produce with acks=0).
    /// Throw `ConnectionClosingError` to drop the connection, Kafka's only signal in some cases.
    func handle(_ request: Request, context: RequestContext) async throws -> Request.Response?
}

/// Makes the connection close after this request, as Kafka does for a failed acks=0 produce or a
/// request it cannot parse.
struct ConnectionClosingError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
