import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Reads records from Kafka, after kafka-python's `KafkaConsumer`.
///
/// Either `subscribe` to topics (with a `groupId`: partitions are shared with the group's other
/// members and rebalanced as members come and go) or `assign` partitions by hand. Then `poll`, or
/// iterate: the consumer is an `AsyncSequence` of `KafkaConsumerRecord`s that fetches only when the
/// records already fetched are consumed (backpressure), and ends after `consumerTimeoutMs` without a
/// record when that is set. Positions are committed every `autoCommitIntervalMs` while polling
/// (`enableAutoCommit`), before a rebalance and on close; `commit()` commits on demand.
///
/// Use it standalone and `close()` it (commit, LeaveGroup), or run it in a `ServiceGroup`, which
/// closes it on graceful shutdown.
public final class KafkaConsumer: Service, Sendable, AsyncSequence {
    public typealias Element = KafkaConsumerRecord
    public typealias Failure = KafkaError

    private let configuration: KafkaConsumerConfiguration
    private let core: ConsumerCore

    public init(
        configuration: KafkaConsumerConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "samsa.kafka.consumer")
    ) throws(KafkaError) {
        let cluster = KafkaCluster(configuration: try configuration.clusterConfiguration(), eventLoopGroup: eventLoopGroup, logger: logger)
        self.configuration = configuration
        self.core = ConsumerCore(configuration: configuration, cluster: cluster, logger: logger)
    }

    // MARK: - Subscription

    /// Joins the consumer's group for these topics (needs `groupId`); replaces an earlier subscription.
    public func subscribe(topics: [String]) async throws(KafkaError) {
        try await core.subscribe(.topics(topics))
    }

    /// Joins the group for every topic whose name matches `pattern` (a regular expression matched
    /// from the start of the name, as kafka-python does), following topics as they are created.
    public func subscribe(pattern: String) async throws(KafkaError) {
        try await core.subscribe(.pattern(pattern))
    }

    /// Leaves the group (or drops the assignment).
    public func unsubscribe() async {
        await core.unsubscribe()
    }

    /// Reads these partitions without group membership.
    public func assign(_ partitions: [TopicPartition]) async throws(KafkaError) {
        try await core.assign(partitions)
    }

    /// The partitions currently assigned, by the group or by `assign`.
    public func assignment() async -> Set<TopicPartition> {
        await core.assignment
    }

    /// The subscribed topics (for a pattern: those it matched last).
    public func subscription() async -> Set<String> {
        await core.subscribedTopics
    }

    // MARK: - Reading

    /// Up to `maxRecords` (default `maxPollRecords`) records, waiting up to `timeoutMs` for some.
    /// Returns an empty array when none arrived in time.
    public func poll(timeoutMs: Int = 0, maxRecords: Int? = nil) async throws(KafkaError) -> [KafkaConsumerRecord] {
        try await core.poll(timeoutMs: timeoutMs, maxRecords: maxRecords ?? configuration.maxPollRecords)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: self, consumerTimeoutMs: configuration.consumerTimeoutMs)
    }

    /// Polls when its records are used up; ends after `consumerTimeoutMs` without records, when the
    /// consumer is closed, or when the iterating task is cancelled (closing the consumer: commit and
    /// LeaveGroup).
    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        private let consumer: KafkaConsumer
        private let consumerTimeoutMs: Int?
        private var records: [KafkaConsumerRecord] = []
        private var index = 0

        init(consumer: KafkaConsumer, consumerTimeoutMs: Int?) {
            self.consumer = consumer
            self.consumerTimeoutMs = consumerTimeoutMs
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KafkaError) -> KafkaConsumerRecord? {
            try await next()
        }

        public mutating func next() async throws(KafkaError) -> KafkaConsumerRecord? {
            if index < records.count {
                defer { index += 1 }
                return records[index]
            }
            let silenceEnds = consumerTimeoutMs.map { ContinuousClock.now + .milliseconds($0) }
            while true {
                if Task.isCancelled {
                    await consumer.close()
                    return nil
                }
                let remaining = silenceEnds.map { Swift.max(0, Int(($0 - .now) / .milliseconds(1))) }
                // Without a consumer timeout, poll in one-second steps so cancellation is noticed.
                let polled: [KafkaConsumerRecord]
                do throws(KafkaError) {
                    polled = try await consumer.core.poll(
                        timeoutMs: Swift.min(remaining ?? 1000, 1000), maxRecords: consumer.configuration.maxPollRecords,
                        waitingForGroup: true)
                } catch {
                    // A consumer closed elsewhere (a ServiceGroup shutting down) ends the iteration, as
                    // kafka-python's StopIteration does.
                    if error.code == .shutdown { return nil }
                    throw error
                }
                if !polled.isEmpty {
                    records = polled
                    index = 1
                    return polled[0]
                }
                if let silenceEnds, ContinuousClock.now >= silenceEnds { return nil }
            }
        }
    }

    // MARK: - Positions

    /// The offset of the next record `poll` returns for an assigned partition.
    public func position(_ partition: TopicPartition) async throws(KafkaError) -> Int64 {
        try await core.position(partition)
    }

    /// The next poll returns records from `offset` on.
    public func seek(_ partition: TopicPartition, offset: Int64) async throws(KafkaError) {
        try await core.seek(partition, to: offset)
    }

    /// The next poll starts at the oldest offset of each partition (all assigned for an empty list).
    public func seekToBeginning(_ partitions: [TopicPartition] = []) async throws(KafkaError) {
        try await core.seek(partitions, to: .earliest)
    }

    /// The next poll starts at the end of each partition (all assigned for an empty list).
    public func seekToEnd(_ partitions: [TopicPartition] = []) async throws(KafkaError) {
        try await core.seek(partitions, to: .latest)
    }

    /// Stops fetching these partitions until `resume`.
    public func pause(_ partitions: [TopicPartition]) async {
        await core.setPaused(partitions, true)
    }

    public func resume(_ partitions: [TopicPartition]) async {
        await core.setPaused(partitions, false)
    }

    public func paused() async -> Set<TopicPartition> {
        await core.paused
    }

    /// The high watermark seen in the last fetch of the partition, if any.
    public func highwater(_ partition: TopicPartition) async -> Int64? {
        await core.highWatermark(partition)
    }

    // MARK: - Offsets

    /// The group, generation and member id to pass to a transactional producer's
    /// `sendOffsetsToTransaction`, so that the group coordinator refuses the offsets of a member
    /// that was rebalanced out (Java's `groupMetadata()`). Needs `groupId`.
    public func groupMetadata() async throws(KafkaError) -> KafkaConsumerGroupMetadata {
        guard let metadata = await core.groupMetadata else { throw KafkaError(.illegalState, "groupMetadata() needs a group_id") }
        return metadata
    }

    /// Commits `offsets`, or the current positions of every assigned partition for nil.
    public func commit(offsets: [TopicPartition: OffsetAndMetadata]? = nil) async throws(KafkaError) {
        try await core.commit(offsets)
    }

    /// The group's committed offset for the partition, or nil when it has none.
    public func committed(_ partition: TopicPartition) async throws(KafkaError) -> OffsetAndMetadata? {
        try await core.committed([partition])[partition]
    }

    /// The first offset of each partition.
    public func beginningOffsets(_ partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await core.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, -2) })).mapValues(\.offset)
    }

    /// The offset after the last record of each partition (the high watermark).
    public func endOffsets(_ partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await core.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, -1) })).mapValues(\.offset)
    }

    /// For each partition, the first record at or after the timestamp (ms since the epoch), or nil
    /// when there is none.
    public func offsetsForTimes(_ timestamps: [TopicPartition: Int64]) async throws(KafkaError) -> [TopicPartition: OffsetAndTimestamp?] {
        let found = try await core.listOffsets(timestamps)
        var result: [TopicPartition: OffsetAndTimestamp?] = [:]
        for partition in timestamps.keys {
            if let entry = found[partition], entry.offset >= 0 {
                result[partition] = OffsetAndTimestamp(offset: entry.offset, timestamp: entry.timestamp)
            } else {
                result[partition] = .some(nil)
            }
        }
        return result
    }

    // MARK: - Lifecycle

    /// Commits the positions (with auto-commit on, unless `autocommit` is false), leaves the group and
    /// closes the connections. Later calls throw `shutdown`.
    public func close(autocommit: Bool = true) async {
        await core.close(autocommit: autocommit)
    }

    /// A consumer dropped without `close()` (for instance with its iteration) still commits and
    /// leaves its group, so the group rebalances at once instead of after `sessionTimeoutMs`.
    deinit {
        Task { [core] in await core.close(autocommit: true) }
    }

    /// Keeps the consumer until graceful shutdown (or cancellation), then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
