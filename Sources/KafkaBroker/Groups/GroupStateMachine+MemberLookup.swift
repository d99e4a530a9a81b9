import KafkaProtocol

extension GroupStateMachine {
    /// The outcome of Kafka's `validateCurrentMember`.
    enum MemberLookup {
        case member(String)
        case error(ErrorCode)
    }

    /// Checks that a request comes from a current member: a static member's instance id must map to
    /// the member id it sent (a stale id means another process took over the instance, which must be
    /// told to shut down with FENCED_INSTANCE_ID), and the member id must be known.
    func lookUpCurrentMember(_ memberId: String, groupInstanceId: String?) -> MemberLookup {
        if let groupInstanceId {
            guard let currentMemberId = staticMemberId(for: groupInstanceId) else { return .error(.unknownMemberId) }
            if currentMemberId != memberId { return .error(.fencedInstanceId) }
        }
        guard members[memberId] != nil else { return .error(.unknownMemberId) }
        return .member(memberId)
    }
}
