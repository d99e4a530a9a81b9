/// What the consumer reads and where it stands (kafka-python's SubscriptionState), without I/O:
/// how partitions are chosen (topics, a pattern, or by hand), the assigned partitions with their
/// positions, pauses and pending resets.
struct SubscriptionState: Sendable {
    enum Mode: Sendable, Equatable {
        case none
        case topics([String])
        /// A regular expression matched against the start of topic names, as kafka-python does.
        case pattern(String)
        case manual
    }

    struct PartitionState: Sendable {
        /// The offset of the next record `poll` returns; nil until fetched from the committed
        /// offset or reset.
        var position: Int64?
        var isPaused = false
        /// A seek to the beginning or end waiting to be resolved with ListOffsets.
        var pendingReset: KafkaAutoOffsetReset?
        var highWatermark: Int64?
    }

    private(set) var mode: Mode = .none
    private(set) var partitions: [TopicPartition: PartitionState] = [:]

    var assignment: Set<TopicPartition> { Set(partitions.keys) }

    mutating func subscribe(_ mode: Mode) {
        self.mode = mode
    }

    mutating func unsubscribe() {
        mode = .none
        partitions = [:]
    }

    /// Replaces the assigned partitions; partitions kept keep their position and pause.
    mutating func assign(_ assigned: [TopicPartition]) {
        var next: [TopicPartition: PartitionState] = [:]
        for topicPartition in assigned { next[topicPartition] = partitions[topicPartition] ?? PartitionState() }
        partitions = next
    }

    func isAssigned(_ topicPartition: TopicPartition) -> Bool { partitions[topicPartition] != nil }

    func position(of topicPartition: TopicPartition) -> Int64? { partitions[topicPartition]?.position }

    mutating func seek(_ topicPartition: TopicPartition, to offset: Int64) {
        partitions[topicPartition]?.position = offset
        partitions[topicPartition]?.pendingReset = nil
    }

    /// The position is forgotten and resolved again from the log's start or end.
    mutating func requestReset(_ topicPartition: TopicPartition, to strategy: KafkaAutoOffsetReset) {
        partitions[topicPartition]?.position = nil
        partitions[topicPartition]?.pendingReset = strategy
    }

    mutating func setPaused(_ topicPartition: TopicPartition, _ paused: Bool) {
        partitions[topicPartition]?.isPaused = paused
    }

    mutating func setHighWatermark(_ topicPartition: TopicPartition, _ offset: Int64) {
        partitions[topicPartition]?.highWatermark = offset
    }

    var paused: Set<TopicPartition> { Set(partitions.filter { $0.value.isPaused }.keys) }

    /// Partitions whose position must be looked up (committed offset or reset) before fetching.
    var partitionsWithoutPosition: [TopicPartition] {
        partitions.filter { $0.value.position == nil }.keys.sorted()
    }

    /// Partitions to fetch from, at their positions.
    var fetchPositions: [TopicPartition: Int64] {
        var positions: [TopicPartition: Int64] = [:]
        for (topicPartition, state) in partitions where !state.isPaused {
            if let position = state.position { positions[topicPartition] = position }
        }
        return positions
    }

    /// What a commit of "everything consumed so far" stores: each known position.
    var consumedOffsets: [TopicPartition: OffsetAndMetadata] {
        var offsets: [TopicPartition: OffsetAndMetadata] = [:]
        for (topicPartition, state) in partitions {
            if let position = state.position { offsets[topicPartition] = OffsetAndMetadata(offset: position) }
        }
        return offsets
    }
}
