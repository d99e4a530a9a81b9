import KafkaProtocol

/// The answer to one LeaveGroup request. v3+ encode the per-member errors; for v0-v2, which name one
/// member, the handler answers that member's error as the top-level error, as Kafka does.
public struct LeaveGroupResult: Sendable, Equatable {
    /// Set when the whole request failed (then `members` is empty).
    public var error: ErrorCode
    public var members: [LeaveGroupMemberResult]

    public init(error: ErrorCode = .noError, members: [LeaveGroupMemberResult]) {
        self.error = error
        self.members = members
    }
}
