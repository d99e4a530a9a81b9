import KafkaProtocol
import KafkaStorage
import Metrics
import Synchronization

/// The broker's instruments, reported through swift-metrics under Prometheus-style names; the
/// factory decides where they go (`SamsaConsole` serves them at /metrics).
///
/// Cost on the request path: one cache lookup per request and per produced or fetched partition,
/// then a few atomic adds; nothing per record (a produce counts its records from the offsets its
/// append was given). Gauges of state (partition offsets and sizes, group lag, connections) are
/// set by `refresh(…)` when someone reads metrics, not on every change.
final class BrokerMetrics: Sendable {
    let factory: any MetricsFactory
    private let requests: InstrumentCache<RequestMetricsKey, RequestInstruments>
    private let topicTraffic: InstrumentCache<String, TopicTrafficCounters>
    private let produceErrors: InstrumentCache<ErrorCode, Counter>
    private let fetchErrors: InstrumentCache<ErrorCode, Counter>
    private let partitions: InstrumentCache<TopicPartition, PartitionGauges>
    private let groupPartitions: InstrumentCache<GroupPartitionKey, GroupPartitionGauges>
    private let groupMembers: InstrumentCache<String, Gauge>
    private let rebalances: InstrumentCache<String, Counter>
    let authentications: InstrumentCache<AuthenticationMetricsKey, Counter>
    private let networkBytesReceived: Counter
    private let networkBytesSent: Counter
    private let connectionsAccepted: Counter
    private let connectionsRejected: Counter
    private let activeConnections: Gauge
    private let flushDuration: Timer
    // Read back by the console; swift-metrics instruments are write-only.
    private let bytesInTotal = Atomic<Int64>(0)
    private let bytesOutTotal = Atomic<Int64>(0)
    private let messagesInTotal = Atomic<Int64>(0)
    private let requestsTotal = Atomic<Int64>(0)
    private let refreshTurn = Mutex(())

    init(factory: any MetricsFactory) {
        self.factory = factory
        requests = InstrumentCache(
            make: { key in
                let labels = [("api", ApiKey(rawValue: key.apiKey).name), ("version", "\(key.version)")]
                return RequestInstruments(
                    count: Counter(label: "samsa_requests_total", dimensions: labels, factory: factory),
                    duration: Timer(label: "samsa_request_duration_seconds", dimensions: labels, factory: factory))
            },
            destroy: { _ in })
        topicTraffic = InstrumentCache(
            make: { topic in
                let labels = [("topic", topic)]
                return TopicTrafficCounters(
                    messagesIn: Counter(label: "samsa_topic_messages_in_total", dimensions: labels, factory: factory),
                    bytesIn: Counter(label: "samsa_topic_bytes_in_total", dimensions: labels, factory: factory),
                    bytesOut: Counter(label: "samsa_topic_bytes_out_total", dimensions: labels, factory: factory))
            },
            destroy: { counters in
                counters.messagesIn.destroy()
                counters.bytesIn.destroy()
                counters.bytesOut.destroy()
            })
        produceErrors = InstrumentCache(
            make: { Counter(label: "samsa_produce_errors_total", dimensions: [("error", Self.errorLabel($0))], factory: factory) },
            destroy: { _ in })
        fetchErrors = InstrumentCache(
            make: { Counter(label: "samsa_fetch_errors_total", dimensions: [("error", Self.errorLabel($0))], factory: factory) },
            destroy: { _ in })
        partitions = InstrumentCache(
            make: { partition in
                let labels = [("topic", partition.topic), ("partition", "\(partition.partition)")]
                return PartitionGauges(
                    logStartOffset: Gauge(label: "samsa_log_start_offset", dimensions: labels, factory: factory),
                    logEndOffset: Gauge(label: "samsa_log_end_offset", dimensions: labels, factory: factory),
                    sizeInBytes: Gauge(label: "samsa_log_size_bytes", dimensions: labels, factory: factory),
                    segmentCount: Gauge(label: "samsa_log_segments", dimensions: labels, factory: factory))
            },
            destroy: { gauges in
                gauges.logStartOffset.destroy()
                gauges.logEndOffset.destroy()
                gauges.sizeInBytes.destroy()
                gauges.segmentCount.destroy()
            })
        groupPartitions = InstrumentCache(
            make: { key in
                let labels = [("group", key.group), ("topic", key.partition.topic), ("partition", "\(key.partition.partition)")]
                return GroupPartitionGauges(
                    committedOffset: Gauge(label: "samsa_consumer_group_committed_offset", dimensions: labels, factory: factory),
                    lag: Gauge(label: "samsa_consumer_group_lag", dimensions: labels, factory: factory))
            },
            destroy: { gauges in
                gauges.committedOffset.destroy()
                gauges.lag.destroy()
            })
        groupMembers = InstrumentCache(
            make: { Gauge(label: "samsa_consumer_group_members", dimensions: [("group", $0)], factory: factory) },
            destroy: { $0.destroy() })
        rebalances = InstrumentCache(
            make: { Counter(label: "samsa_group_rebalances_total", dimensions: [("group", $0)], factory: factory) },
            destroy: { $0.destroy() })
        authentications = InstrumentCache(
            make: { key in
                Counter(
                    label: "samsa_authentications_total",
                    dimensions: [
                        ("mechanism", key.mechanism), ("listener", key.listener), ("result", key.succeeded ? "success" : "failure"),
                    ],
                    factory: factory)
            },
            destroy: { _ in })
        networkBytesReceived = Counter(label: "samsa_network_received_bytes_total", factory: factory)
        networkBytesSent = Counter(label: "samsa_network_sent_bytes_total", factory: factory)
        connectionsAccepted = Counter(label: "samsa_connections_accepted_total", factory: factory)
        connectionsRejected = Counter(label: "samsa_connections_rejected_total", factory: factory)
        activeConnections = Gauge(label: "samsa_connections_active", factory: factory)
        flushDuration = Timer(label: "samsa_log_flush_duration_seconds", factory: factory)
    }

    /// Kafka's name of the error (`UNKNOWN_TOPIC_OR_PARTITION`); a code Kafka does not define keeps
    /// its number, so the label set stays bounded by what the broker itself answers.
    private static func errorLabel(_ code: ErrorCode) -> String {
        code.name ?? "\(code.rawValue)"
    }

    // MARK: - Start-up

    func recordStartup(version: String, nodeId: Int32, clusterId: String, startTimeMs: Int64, recoveryDuration: Duration) {
        let info = [("version", version), ("node_id", "\(nodeId)"), ("cluster_id", clusterId)]
        Gauge(label: "samsa_broker_info", dimensions: info, factory: factory).record(1)
        Gauge(label: "samsa_broker_start_time_seconds", factory: factory).record(Double(startTimeMs) / 1_000)
        Gauge(label: "samsa_log_recovery_duration_seconds", factory: factory).record(recoveryDuration.inSeconds)
    }

    // MARK: - Requests and connections

    func recordRequest(apiKey: ApiKey, version: Int16, duration: Duration) {
        let instruments = requests[RequestMetricsKey(apiKey: apiKey.rawValue, version: version)]
        instruments.count.increment()
        instruments.duration.recordNanoseconds(duration.inNanoseconds)
        requestsTotal.wrappingAdd(1, ordering: .relaxed)
    }

    func recordNetwork(receivedBytes: Int, sentBytes: Int) {
        networkBytesReceived.increment(by: receivedBytes)
        if sentBytes > 0 { networkBytesSent.increment(by: sentBytes) }
    }

    func recordConnectionAccepted() {
        connectionsAccepted.increment()
    }

    func recordConnectionRejected() {
        connectionsRejected.increment()
    }

    // MARK: - Produce and fetch

    func recordAppend(topic: String, messages: Int64, bytes: Int) {
        let counters = topicTraffic[topic]
        counters.messagesIn.increment(by: messages)
        counters.bytesIn.increment(by: bytes)
        messagesInTotal.wrappingAdd(messages, ordering: .relaxed)
        bytesInTotal.wrappingAdd(Int64(bytes), ordering: .relaxed)
    }

    func recordProduceError(_ code: ErrorCode) {
        produceErrors[code].increment()
    }

    func recordFetched(topic: String, bytes: Int) {
        guard bytes > 0 else { return }
        topicTraffic[topic].bytesOut.increment(by: bytes)
        bytesOutTotal.wrappingAdd(Int64(bytes), ordering: .relaxed)
    }

    func recordFetchError(_ code: ErrorCode) {
        fetchErrors[code].increment()
    }

    // MARK: - Storage and groups

    func recordFlush(duration: Duration) {
        flushDuration.recordNanoseconds(duration.inNanoseconds)
    }

    func recordRebalance(group: String) {
        rebalances[group].increment()
    }

    var trafficTotals: TrafficTotals {
        TrafficTotals(
            bytesIn: bytesInTotal.load(ordering: .relaxed), bytesOut: bytesOutTotal.load(ordering: .relaxed),
            messagesIn: messagesInTotal.load(ordering: .relaxed), requests: requestsTotal.load(ordering: .relaxed))
    }

    // MARK: - State gauges

    /// Sets every state gauge, and drops the instruments of partitions, topics and groups that no
    /// longer exist. Refreshes take turns, so that one working from an older reading cannot drop
    /// what a newer one just set.
    ///
    /// - Parameters:
    ///   - topicExists, groupExists: asked when dropping the counters that requests update, at that
    ///     moment, so that a topic or group created since `topics` and `groups` were read keeps them.
    func refresh(
        topics: [TopicOverview], groups: [ConsumerGroupOverview], activeConnections: Int,
        topicExists: (String) -> Bool, groupExists: (String) -> Bool
    ) {
        refreshTurn.withLock { _ in
            self.activeConnections.record(activeConnections)
            var livePartitions = Set<TopicPartition>()
            for topic in topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partition)
                    livePartitions.insert(key)
                    let gauges = partitions[key]
                    gauges.logStartOffset.record(partition.logStartOffset)
                    gauges.logEndOffset.record(partition.highWatermark)
                    gauges.sizeInBytes.record(partition.sizeInBytes)
                    gauges.segmentCount.record(partition.segmentCount)
                }
            }
            partitions.retainOnly(livePartitions)
            var liveGroupPartitions = Set<GroupPartitionKey>()
            for group in groups {
                groupMembers[group.groupId].record(group.members.count)
                for offset in group.offsets {
                    let key = GroupPartitionKey(
                        group: group.groupId, partition: TopicPartition(topic: offset.topic, partition: offset.partition))
                    liveGroupPartitions.insert(key)
                    let gauges = groupPartitions[key]
                    gauges.committedOffset.record(offset.committedOffset)
                    gauges.lag.record(offset.lag ?? 0)
                }
            }
            groupPartitions.retainOnly(liveGroupPartitions)
            groupMembers.retainOnly(Set(groups.map(\.groupId)))
            topicTraffic.removeAll { !topicExists($0) }
            rebalances.removeAll { !groupExists($0) }
        }
    }
}
