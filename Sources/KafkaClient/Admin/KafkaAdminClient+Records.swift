import KafkaProtocol

extension KafkaAdminClient {
    /// The offset `deleteRecords` takes as each partition's high watermark: everything is deleted.
    public static let deleteRecordsUpToHighWatermark: Int64 = -1

    /// Deletes every record below the given offset of each partition (DeleteRecords at each
    /// partition's leader), as kafka-python's `delete_records`: the log start offset moves there
    /// and the new low watermark of each partition is returned. Throws the first partition's
    /// error, such as OFFSET_OUT_OF_RANGE for an offset beyond the high watermark.
    public func deleteRecords(
        _ recordsToDelete: [TopicPartition: Int64], timeoutMs: Int32? = nil
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        var lowWatermarks: [TopicPartition: Int64] = [:]
        for (topicPartition, result) in try await deleteRecordsByPartition(recordsToDelete, timeoutMs: timeoutMs).sorted(by: {
            $0.key < $1.key
        }) {
            switch result {
            case .success(let lowWatermark): lowWatermarks[topicPartition] = lowWatermark
            case .failure(let error): throw error
            }
        }
        return lowWatermarks
    }

    /// `deleteRecords` with each partition's outcome apart, as Java's `DeleteRecordsResult`
    /// reports them (what kafka-delete-records.sh prints line by line).
    public func deleteRecordsByPartition(
        _ recordsToDelete: [TopicPartition: Int64], timeoutMs: Int32? = nil
    ) async throws(KafkaError) -> [TopicPartition: Result<Int64, KafkaError>] {
        let (partitionsByLeader, failures) = try await partitionsByLeader(recordsToDelete.keys, operation: "delete records of")
        var results = failures.mapValues { Result<Int64, KafkaError>.failure($0) }
        for (leader, partitions) in partitionsByLeader {
            let request = DeleteRecordsRequest(
                topics: Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
                    .init(name: topic, partitions: partitions.map { .init(partitionIndex: $0.partition, offset: recordsToDelete[$0]!) })
                },
                timeoutMs: timeoutMs ?? defaultTimeoutMs)
            let response = try await cluster.connection(toNode: leader).send(request, timeout: requestTimeout(plus: timeoutMs))
            for topic in response.topics {
                for partition in topic.partitions {
                    let topicPartition = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    if let error = KafkaError.broker(code: partition.errorCode, "delete records of \(topicPartition)") {
                        results[topicPartition] = .failure(error)
                    } else {
                        results[topicPartition] = .success(partition.lowWatermark)
                    }
                }
            }
        }
        return results
    }
}

extension KafkaAdminClient {
    /// The ids of the cluster's brokers, sorted.
    public func brokerIds() async throws(KafkaError) -> [Int32] {
        try await cluster.refreshMetadata(topics: []).brokers.keys.sorted()
    }

    /// Each broker's log directories with the partitions they hold (DescribeLogDirs to each
    /// broker), as kafka-python's `describe_log_dirs`: `topics` maps topic names to the partitions
    /// to describe, nil for all of them; `brokers` nil asks every broker.
    public func describeLogDirs(
        topics: [String: [Int32]]? = nil, brokers: [Int32]? = nil
    ) async throws(KafkaError) -> [Int32: [KafkaLogDirDescription]] {
        var nodeIds = brokers ?? []
        if brokers == nil { nodeIds = try await brokerIds() }
        let request = DescribeLogDirsRequest(
            topics: topics.map { $0.sorted { $0.key < $1.key }.map { .init(topic: $0.key, partitions: $0.value) } })
        var descriptions: [Int32: [KafkaLogDirDescription]] = [:]
        for nodeId in nodeIds {
            let response = try await cluster.connection(toNode: nodeId).send(request)
            if let error = KafkaError.broker(code: response.errorCode, "describe log dirs of broker \(nodeId)") { throw error }
            descriptions[nodeId] = response.results.map { result in
                var replicas: [TopicPartition: KafkaLogDirDescription.Replica] = [:]
                for topic in result.topics {
                    for partition in topic.partitions {
                        replicas[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] = .init(
                            size: partition.partitionSize, offsetLag: partition.offsetLag, isFuture: partition.isFutureKey)
                    }
                }
                return KafkaLogDirDescription(
                    path: result.logDir, error: KafkaError.broker(code: result.errorCode, "log dir \(result.logDir) of broker \(nodeId)"),
                    replicas: replicas, totalBytes: result.totalBytes >= 0 ? result.totalBytes : nil,
                    usableBytes: result.usableBytes >= 0 ? result.usableBytes : nil)
            }
        }
        return descriptions
    }
}
