/// Hands out member ids in Kafka's shape, `<client.id or group.instance.id>-<unique suffix>`.
///
/// Kafka's suffix is a random UUID. Reading randomness inside the state machine would make it
/// non-deterministic, so the suffix is a prefix chosen by the runtime followed by a counter: the
/// runtime passes a random prefix (for example a fresh UUID and a dash) so ids stay unique across
/// broker restarts, and tests pass a fixed one so they can spell the ids out.
public struct MemberIdGenerator: Sendable {
    public let prefix: String
    private var issued: UInt64 = 0

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// The next id for a member whose client.id (or group.instance.id, for static members) is `base`.
    public mutating func next(for base: String) -> String {
        issued += 1
        return "\(base)-\(prefix)\(issued)"
    }
}
