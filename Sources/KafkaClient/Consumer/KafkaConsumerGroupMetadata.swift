/// The consumer's place in its group, Java's `ConsumerGroupMetadata`: what a transactional producer
/// sends with `sendOffsetsToTransaction` so that the coordinator fences offsets from a member the
/// group has moved past. `KafkaConsumer.groupMetadata` gives the current one; `init(groupId:)` alone
/// commits as a non-member, without the generation check.
public struct KafkaConsumerGroupMetadata: Hashable, Sendable {
    public var groupId: String
    /// The generation of the member's last completed round; -1 while it is not a member.
    public var generationId: Int32
    /// The id the coordinator gave the member; empty while it is not a member.
    public var memberId: String
    /// `groupInstanceId` of the consumer (static membership), if set.
    public var groupInstanceId: String?

    public init(groupId: String, generationId: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }
}
