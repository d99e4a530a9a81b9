import KafkaClient
import KafkaProtocol

/// How Kafka's tools print an exception they caught: `org.apache.kafka.common.errors.<Name>: message`.
/// The class name follows from the Kafka error code for the errors the group tool meets.
enum JavaExceptionName {
    private static let names: [ErrorCode: String] = [
        .groupIdNotFound: "GroupIdNotFoundException",
        .nonEmptyGroup: "GroupNotEmptyException",
        .unknownTopicOrPartition: "UnknownTopicOrPartitionException",
        .coordinatorNotAvailable: "CoordinatorNotAvailableException",
        .invalidGroupId: "InvalidGroupIdException",
        .unknownMemberId: "UnknownMemberIdException",
        .illegalGeneration: "IllegalGenerationException",
        .rebalanceInProgress: "RebalanceInProgressException",
    ]

    static func describing(_ error: KafkaError) -> String {
        guard let errorCode = error.errorCode else { return error.toolMessage }
        let name = names[errorCode] ?? "ApiException"
        return "org.apache.kafka.common.errors.\(name): \(error.toolMessage)"
    }
}
