/// A consumer's place in its group, as a transactional producer's `sendOffsetsToTransaction`
/// needs it (Java's `ConsumerGroupMetadata`). `KafkaConsumer.groupMetadata()` gives the current
/// one; `init(groupId:)` alone commits as a non-member, without the generation check.
public struct KafkaConsumerGroupMetadata: Hashable, Sendable {
    public var groupId: String
    /// -1 for a consumer that is not a member of a stable group.
    public var generationId: Int32
    /// Empty for a consumer that is not a member.
    public var memberId: String
    /// The static member id (`group.instance.id`), when the consumer has one.
    public var groupInstanceId: String?

    public init(groupId: String, generationId: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }
}
