import KafkaProtocol
import KafkaRecords
import KafkaStorage

/// Read-only views of the broker's topics, logs, groups and traffic, for the web console and the
/// metrics exporter. Everything it returns is a copy taken at the time of the call; nothing it
/// offers changes the broker.
public struct BrokerInspector: Sendable {
    let state: BrokerState
    let coordinator: GroupCoordinator
    let connections: ConnectionRegistry
    let metrics: BrokerMetrics
    let startTimeMs: Int64
    let startInstant: ContinuousClock.Instant

    public func overview() -> BrokerOverview {
        let topics = state.topics.allTopics()
        let partitions = topics.flatMap(\.partitions)
        return BrokerOverview(
            nodeId: state.configuration.nodeId, clusterId: state.clusterId, version: SamsaVersion.current,
            startTimeMs: startTimeMs, uptime: ContinuousClock.now - startInstant, listeners: state.boundListeners,
            advertisedListeners: state.advertisedListeners, dataDirectory: state.configuration.logDirectory,
            logSizeInBytes: partitions.reduce(0) { $0 + $1.sizeInBytes }, topicCount: topics.count,
            partitionCount: partitions.count, activeConnections: connections.count,
            recoveryDuration: state.logManager.loadDuration, hadCleanShutdown: state.logManager.hadCleanShutdown)
    }

    /// Every topic, internal ones included, ordered by name.
    public func topics() -> [TopicOverview] {
        state.topics.allTopics().map(Self.overview)
    }

    public func topic(named name: String) -> TopicOverview? {
        state.topics.topic(named: name).map(Self.overview)
    }

    private static func overview(of topic: Topic) -> TopicOverview {
        // Every partition of a topic has the same configuration; an empty topic cannot exist.
        let configuration = topic.partitions.first?.configuration ?? LogConfiguration()
        return TopicOverview(
            name: topic.name, topicId: topic.id.description, isInternal: topic.isInternal,
            partitions: topic.partitions.map { log in
                PartitionOverview(
                    partition: log.topicPartition.partition, logStartOffset: log.logStartOffset,
                    highWatermark: log.highWatermark, sizeInBytes: log.sizeInBytes, segmentCount: log.segmentCount)
            },
            retentionMs: configuration.retentionMs, retentionBytes: configuration.retentionBytes,
            cleanupPolicy: configuration.cleanupPolicy.description)
    }

    /// The newest `limit` records of a topic across its partitions, newest first (by timestamp,
    /// then offset); nil for an unknown topic. Reads at most the last `limit` offsets of each
    /// partition, plus the rest of the batch the first of them is in.
    public func latestRecords(topic name: String, limit: Int = 20) -> [TopicRecord]? {
        guard let topic = state.topics.topic(named: name) else { return nil }
        let records = topic.partitions.flatMap { latestRecords(of: $0, limit: limit) }
        let newestFirst = records.sorted {
            ($0.record.timestamp, $0.record.offset, $0.partition) > ($1.record.timestamp, $1.record.offset, $1.partition)
        }
        return Array(newestFirst.prefix(limit))
    }

    private func latestRecords(of log: PartitionLog, limit: Int) -> [TopicRecord] {
        let end = log.highWatermark
        let first = max(log.logStartOffset, end - Int64(limit))
        var offset = first
        var records: [DecodedRecord] = []
        reading: while offset < end {
            guard let read = try? log.read(from: offset, maxBytes: 1 << 20, minOneBatch: true) else { break }
            var view = RecordBatchView(read.records)
            var progressed = false
            while let entry = try? view.next() {
                guard case .batch(let batch) = entry else { continue }
                progressed = true
                offset = batch.header.nextOffset
                // Transaction markers are not messages.
                if batch.header.attributes.isControl { continue }
                guard let decoded = try? batch.decodedRecords() else { break reading }
                records += decoded.filter { $0.offset >= first }
            }
            if !progressed { break }
        }
        return records.suffix(limit).map { TopicRecord(partition: log.topicPartition.partition, record: $0) }
    }

    /// Every consumer group that has members or committed offsets, ordered by id (deleted groups
    /// the coordinator still remembers as Dead are left out).
    public func consumerGroups() -> [ConsumerGroupOverview] {
        let known = Set(coordinator.list(states: [], types: []).map(\.groupId))
        let ids = known.union(coordinator.offsets.groupsWithOffsets).sorted()
        return ids.map(groupOverview).filter(Self.exists)
    }

    /// A group that has members or committed offsets; nil for any other id.
    public func consumerGroup(id: String) -> ConsumerGroupOverview? {
        let overview = groupOverview(id)
        return Self.exists(overview) ? overview : nil
    }

    private static func exists(_ group: ConsumerGroupOverview) -> Bool {
        group.description.state != .dead || !group.offsets.isEmpty
    }

    private func groupOverview(_ groupId: String) -> ConsumerGroupOverview {
        var description = coordinator.describe(groupId)
        let committed = coordinator.offsets.committedOffsets(group: groupId)
        // A group that only holds offsets is Empty, as ListGroups reports it, not Dead.
        if description.state == .dead && !committed.isEmpty { description.state = .empty }
        let offsets = committed.map { partition, offset in
            GroupPartitionLag(
                topic: partition.topic, partition: partition.partition, committedOffset: offset.offset,
                highWatermark: state.topics.log(partition.topic, partition.partition)?.highWatermark,
                metadata: offset.metadata.isEmpty ? nil : offset.metadata)
        }
        return ConsumerGroupOverview(
            description: description, offsets: offsets.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) })
    }

    /// What the broker moved since it started.
    public func trafficTotals() -> TrafficTotals {
        metrics.trafficTotals
    }

    /// Sets the state gauges (partition offsets, sizes and segments, group offsets and lag, open
    /// connections) to their current values. An exporter calls it before it reads the metrics; the
    /// broker also calls it periodically.
    public func refreshMetrics() {
        metrics.refresh(
            topics: topics(), groups: consumerGroups(), activeConnections: connections.count,
            topicExists: { state.topics.topic(named: $0) != nil },
            groupExists: { consumerGroup(id: $0) != nil })
    }
}
