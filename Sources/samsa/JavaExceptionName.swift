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
        .offsetOutOfRange: "OffsetOutOfRangeException",
        .kafkaStorageError: "KafkaStorageException",
        .invalidTopicException: "InvalidTopicException",
        .resourceNotFound: "ResourceNotFoundException",
        .unacceptableCredential: "UnacceptableCredentialException",
    ]

    static func describing(_ error: KafkaError) -> String {
        guard error.errorCode != nil else { return error.toolMessage }
        return "org.apache.kafka.common.errors.\(name(of: error)): \(error.toolMessage)"
    }

    /// The exception's simple class name, `ApiException` for codes without their own.
    static func name(of error: KafkaError) -> String {
        error.errorCode.flatMap { names[$0] } ?? "ApiException"
    }
}
