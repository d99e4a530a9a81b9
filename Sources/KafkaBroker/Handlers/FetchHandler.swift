import KafkaProtocol
import KafkaStorage
import NIOCore

/// Fetch 4–17: from v13 topics are named by their id, and an id no topic has answers
/// UNKNOWN_TOPIC_ID. Whole stored batches, the one containing the fetch offset first; at least one batch even above the size limits; a fetch
/// with less than `min_bytes` waits until an append brings enough or `max_wait_ms` passes.
/// Incremental fetch sessions are declined with session id 0, so every response is a full one.
/// With an authorizer each topic needs READ; a refused one answers TOPIC_AUTHORIZATION_FAILED at
/// once.
/// At read_committed only batches below the last stable offset return, with the aborted
/// transactions they overlap, which the consumer drops.
struct FetchHandler: ApiHandler {
    let state: BrokerState
    let versions: ClosedRange<Int16> = 4...17

    func handle(_ request: FetchRequest, context: RequestContext) async throws -> FetchResponse? {
        var request = request
        if context.apiVersion >= 13 {
            // The rest of the fetch works by name; an unknown id keeps an empty name.
            for index in request.topics.indices {
                request.topics[index].topic = state.topics.topic(withId: request.topics[index].topicId)?.name ?? ""
            }
        }
        let deadline = ContinuousClock.now + .milliseconds(max(0, Int64(request.maxWaitMs)))
        let partitions = request.topics.flatMap { topic in
            topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0.partition) }
        }
        // Without an authorizer a fetch builds nothing for the checks.
        var refusedTopics: Set<String> = []
        if state.authorizer != nil {
            var readAllowed = AuthorizationCache { state.authorize(context, .read, .topic, $0) }
            refusedTopics = Set(request.topics.map(\.topic).filter { !readAllowed($0) })
        }
        while true {
            let sequence = state.appendNotifier.currentSequence
            let (response, bytes, hasError) = read(request, refusedTopics: refusedTopics)
            let now = ContinuousClock.now
            if bytes >= Int(request.minBytes) || hasError || now >= deadline || partitions.isEmpty {
                recordMetrics(of: response)
                return response
            }
            await state.appendNotifier.waitForAppend(to: partitions, after: sequence, timeout: deadline - now)
        }
    }

    /// Counts the answered response only, not the passes a long poll made before it.
    private func recordMetrics(of response: FetchResponse) {
        for topic in response.responses {
            var bytes = 0
            for partition in topic.partitions {
                bytes += partition.records?.readableBytes ?? 0
                if partition.errorCode != 0 { state.metrics.recordFetchError(ErrorCode(rawValue: partition.errorCode)) }
            }
            if !topic.topic.isEmpty { state.metrics.recordFetched(topic: topic.topic, bytes: bytes) }
        }
    }

    /// One pass over the requested partitions: the response, how many record bytes it carries, and
    /// whether a partition failed (which answers at once).
    private func read(_ request: FetchRequest, refusedTopics: Set<String>) -> (FetchResponse, Int, Bool) {
        var response = FetchResponse(sessionId: 0)
        // `fetch.max.bytes` bounds what one response holds, however much the request asks for.
        var remaining = Int(min(request.maxBytes, state.configuration.fetchMaxBytes))
        var total = 0
        var hasError = false
        let isolation = IsolationLevel(rawValue: request.isolationLevel) ?? .readUncommitted
        for topic in request.topics {
            var topicResponse = FetchResponse.FetchableTopicResponse(topic: topic.topic, topicId: topic.topicId)
            for partition in topic.partitions {
                var data = FetchResponse.PartitionData(partitionIndex: partition.partition, abortedTransactions: nil)
                if topic.topic.isEmpty {
                    data.errorCode = ErrorCode.unknownTopicId.rawValue
                    data.highWatermark = -1
                    data.records = ByteBuffer()
                    hasError = true
                } else if refusedTopics.contains(topic.topic) {
                    data.errorCode = ErrorCode.topicAuthorizationFailed.rawValue
                    data.highWatermark = -1
                    data.records = ByteBuffer()
                    hasError = true
                } else if let log = state.topics.log(topic.topic, partition.partition) {
                    do {
                        try log.checkServable()
                        // Only the first partition that returns data may exceed the limits (KIP-74).
                        let result = try log.read(
                            from: partition.fetchOffset, maxBytes: max(0, min(Int(partition.partitionMaxBytes), remaining)),
                            minOneBatch: total == 0, isolation: isolation)
                        data.records = result.records
                        data.highWatermark = result.highWatermark
                        data.lastStableOffset = result.lastStableOffset
                        data.abortedTransactions = result.abortedTransactions?.map {
                            FetchResponse.AbortedTransaction(producerId: $0.producerId, firstOffset: $0.firstOffset)
                        }
                        data.logStartOffset = result.logStartOffset
                        total += result.records.readableBytes
                        remaining -= result.records.readableBytes
                    } catch {
                        data.errorCode =
                            (error.code == .offsetOutOfRange ? ErrorCode.offsetOutOfRange : ErrorCode.kafkaStorageError).rawValue
                        data.highWatermark = log.highWatermark
                        data.lastStableOffset = log.lastStableOffset
                        data.logStartOffset = log.logStartOffset
                        data.records = ByteBuffer()
                        hasError = true
                    }
                } else {
                    data.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    data.highWatermark = -1
                    data.records = ByteBuffer()
                    hasError = true
                }
                topicResponse.partitions.append(data)
            }
            response.responses.append(topicResponse)
        }
        return (response, total, hasError)
    }
}
