import KafkaProtocol
import KafkaStorage

/// DeleteRecords 0–2: moves each partition's log start offset up to the requested offset (-1:
/// the high watermark) and answers the new low watermark. On a single replica the low watermark
/// is reached at once, so the request's timeout never runs. The move is checkpointed before the
/// answer and the segments wholly below it are deleted. With an authorizer each topic needs DELETE
/// (TOPIC_AUTHORIZATION_FAILED).
struct DeleteRecordsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 0...2

    /// The offset that stands for the partition's high watermark (`DeleteRecordsRequest.HIGH_WATERMARK`).
    static let highWatermark: Int64 = -1
    /// The low watermark of a partition that failed (`DeleteRecordsResponse.INVALID_LOW_WATERMARK`).
    static let invalidLowWatermark: Int64 = -1

    func handle(_ request: DeleteRecordsRequest, context: RequestContext) async throws -> DeleteRecordsResponse? {
        DeleteRecordsResponse(
            topics: request.topics.map { topic in
                let deleteAllowed = state.authorize(context, .delete, .topic, topic.name)
                return .init(
                    name: topic.name,
                    partitions: topic.partitions.map { partition in
                        guard deleteAllowed else {
                            return .init(
                                partitionIndex: partition.partitionIndex, lowWatermark: Self.invalidLowWatermark,
                                errorCode: ErrorCode.topicAuthorizationFailed.rawValue)
                        }
                        return deleteRecords(of: topic.name, partition.partitionIndex, before: partition.offset)
                    })
            })
    }

    private func deleteRecords(
        of topic: String, _ partition: Int32, before offset: Int64
    ) -> DeleteRecordsResponse.DeleteRecordsPartitionResult {
        var result = DeleteRecordsResponse.DeleteRecordsPartitionResult(
            partitionIndex: partition, lowWatermark: Self.invalidLowWatermark)
        guard let log = state.topics.log(topic, partition) else {
            result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
            return result
        }
        // Kafka refuses clients' deletions in its internal topics.
        guard topic != Topic.consumerOffsets else {
            result.errorCode = ErrorCode.invalidTopicException.rawValue
            return result
        }
        do throws(StorageError) {
            let target = offset == Self.highWatermark ? log.highWatermark : offset
            result.lowWatermark = try state.logManager.deleteRecords(of: log, before: target)
        } catch {
            result.errorCode = (error.code == .offsetOutOfRange ? ErrorCode.offsetOutOfRange : ErrorCode.kafkaStorageError).rawValue
        }
        return result
    }
}
