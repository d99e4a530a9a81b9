/// The settings of one partition log. Each property names its topic-level key and the broker-wide
/// key that supplies the default, with Kafka's default value.
public struct LogConfiguration: Sendable, Equatable {
    /// `segment.bytes` (broker: `log.segment.bytes`): a segment is rolled before it would grow past
    /// this. Default 1 GiB.
    public var segmentBytes: Int64
    /// `segment.ms` (broker: `log.roll.ms` / `log.roll.hours`): a segment whose first batch is older
    /// than this is rolled on the next append. Default 7 days.
    public var segmentMs: Int64
    /// `retention.ms` (broker: `log.retention.ms` / `.minutes` / `.hours`): closed segments whose
    /// newest record is older than this are deleted; -1 keeps them forever. Default 7 days.
    public var retentionMs: Int64
    /// `retention.bytes` (broker: `log.retention.bytes`): the oldest closed segments are deleted
    /// while the log is larger than this; -1 means no limit. Default -1.
    public var retentionBytes: Int64
    /// `index.interval.bytes` (broker: `log.index.interval.bytes`): bytes of batches between two
    /// entries of the sparse offset and time indexes. Default 4096.
    public var indexIntervalBytes: Int
    /// `flush.messages` (broker: `log.flush.interval.messages`): fsync once this many records are
    /// unflushed. Default: never (Int64.max), leaving it to acks=all and the operating system.
    public var flushIntervalMessages: Int64
    /// `flush.ms` (broker: `log.flush.interval.ms`): fsync when the oldest unflushed append is this
    /// old. Default: never (Int64.max).
    public var flushIntervalMs: Int64
    /// `cleanup.policy` (broker: `log.cleanup.policy`). Default `delete`.
    public var cleanupPolicy: CleanupPolicy
    /// `delete.retention.ms` (broker: `log.cleaner.delete.retention.ms`): how long compaction keeps a
    /// tombstone (a record with a null value). Default 1 day.
    public var deleteRetentionMs: Int64
    /// `min.compaction.lag.ms` (broker: `log.cleaner.min.compaction.lag.ms`): a segment is compacted
    /// only once its newest record is at least this old. Default 0.
    public var minCompactionLagMs: Int64
    /// `max.compaction.lag.ms` (broker: `log.cleaner.max.compaction.lag.ms`): a log whose oldest
    /// uncompacted record is older than this is compacted whatever its dirty ratio. Default: never
    /// (Int64.max).
    public var maxCompactionLagMs: Int64
    /// `min.cleanable.dirty.ratio` (broker: `log.cleaner.min.cleanable.ratio`): the cleaner
    /// compacts a log once the bytes written since its last compaction are at least this share of
    /// its cleanable bytes. Default 0.5.
    public var minCleanableDirtyRatio: Double

    public init(
        segmentBytes: Int64 = 1_073_741_824,
        segmentMs: Int64 = 7 * 24 * 3_600_000,
        retentionMs: Int64 = 7 * 24 * 3_600_000,
        retentionBytes: Int64 = -1,
        indexIntervalBytes: Int = 4096,
        flushIntervalMessages: Int64 = Int64.max,
        flushIntervalMs: Int64 = Int64.max,
        cleanupPolicy: CleanupPolicy = .delete,
        deleteRetentionMs: Int64 = 24 * 3_600_000,
        minCompactionLagMs: Int64 = 0,
        maxCompactionLagMs: Int64 = Int64.max,
        minCleanableDirtyRatio: Double = 0.5
    ) {
        self.segmentBytes = segmentBytes
        self.segmentMs = segmentMs
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.indexIntervalBytes = indexIntervalBytes
        self.flushIntervalMessages = flushIntervalMessages
        self.flushIntervalMs = flushIntervalMs
        self.cleanupPolicy = cleanupPolicy
        self.deleteRetentionMs = deleteRetentionMs
        self.minCompactionLagMs = minCompactionLagMs
        self.maxCompactionLagMs = maxCompactionLagMs
        self.minCleanableDirtyRatio = minCleanableDirtyRatio
    }
}
