import KafkaProtocol

/// The outcome for one member of a LeaveGroup request, echoing how the request named it.
public struct LeaveGroupMemberResult: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    public var error: ErrorCode

    public init(memberId: String, groupInstanceId: String? = nil, error: ErrorCode = .noError) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.error = error
    }
}
