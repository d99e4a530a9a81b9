import KafkaProtocol
import KafkaStorage

/// ListOffsets 1–9: latest (-1), earliest (-2), max timestamp (-3, v7), earliest local (-4, v8:
/// without tiered storage the log start offset), latest tiered (-5, v9: nothing is tiered, so -1
/// as Kafka answers without remote storage) and by timestamp. Latest at read_committed (v2+) is
/// the last stable offset. With an authorizer each topic needs DESCRIBE
/// (TOPIC_AUTHORIZATION_FAILED).
struct ListOffsetsHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 1...9

    static let latest: Int64 = -1
    static let earliest: Int64 = -2
    static let maxTimestamp: Int64 = -3
    static let earliestLocal: Int64 = -4
    static let latestTiered: Int64 = -5

    func handle(_ request: ListOffsetsRequest, context: RequestContext) async throws -> ListOffsetsResponse? {
        var response = ListOffsetsResponse()
        for topic in request.topics {
            var topicResponse = ListOffsetsResponse.ListOffsetsTopicResponse(name: topic.name)
            let describeAllowed = state.authorize(context, .describe, .topic, topic.name)
            for partition in topic.partitions {
                var result = ListOffsetsResponse.ListOffsetsPartitionResponse(partitionIndex: partition.partitionIndex)
                guard describeAllowed else {
                    result.errorCode = ErrorCode.topicAuthorizationFailed.rawValue
                    topicResponse.partitions.append(result)
                    continue
                }
                guard let log = state.topics.log(topic.name, partition.partitionIndex) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    topicResponse.partitions.append(result)
                    continue
                }
                do {
                    try log.checkServable()
                    switch partition.timestamp {
                    case Self.latest:
                        result.offset =
                            request.isolationLevel == IsolationLevel.readCommitted.rawValue
                            ? log.lastStableOffset : log.highWatermark
                    case Self.earliest, Self.earliestLocal:
                        result.offset = log.logStartOffset
                    case Self.latestTiered:
                        result.offset = -1
                    case Self.maxTimestamp:
                        if let found = try log.offsetOfMaxTimestamp() {
                            result.offset = found.offset
                            result.timestamp = found.timestamp
                        }
                    default:
                        if let found = try log.offsetForTimestamp(partition.timestamp) {
                            result.offset = found.offset
                            result.timestamp = found.timestamp
                        }
                    }
                } catch {
                    result.errorCode = ErrorCode.kafkaStorageError.rawValue
                }
                topicResponse.partitions.append(result)
            }
            response.topics.append(topicResponse)
        }
        return response
    }
}
