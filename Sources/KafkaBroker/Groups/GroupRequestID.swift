/// The runtime's handle on one JoinGroup, SyncGroup, Heartbeat or LeaveGroup request.
///
/// Join and sync requests can be parked and answered by a later event (another member's join, the
/// leader's sync, a timer), so every answer is a `GroupAction.complete…` carrying the id of the request
/// it completes. The state machine never interprets the value.
public struct GroupRequestID: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt64) {
        self.rawValue = value
    }

    public var description: String { "request \(rawValue)" }
}
