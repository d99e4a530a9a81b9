/// A committed position of a group on one partition, as OffsetCommit stores it.
struct CommittedOffset: Sendable, Equatable {
    var offset: Int64
    var leaderEpoch: Int32
    var metadata: String
    var commitTimestampMs: Int64
}
