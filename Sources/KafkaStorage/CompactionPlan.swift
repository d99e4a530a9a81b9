/// What one compaction run works on, taken under the partition's lock.
struct CompactionPlan {
    /// A key's latest record in the compacted range.
    struct LatestRecord {
        var offset: Int64
        /// The record's timestamp when it is a tombstone (a null value).
        var tombstoneTimestamp: Int64?
        var isExpiredTombstone: Bool
    }

    var segments: [LogSegment]
    /// Tombstones with a timestamp below this are dropped.
    var tombstoneHorizon: Int64
    var indexIntervalBytes: Int
    /// The last offset of each idempotent producer's latest batch, which is never dropped.
    var producersLastOffsets: Set<Int64>

    /// The index in `segments` of the segment holding `offset`.
    func segmentIndex(forOffset offset: Int64) -> Int {
        segments.lastIndex { $0.baseOffset <= offset } ?? 0
    }
}
