import Metrics

/// A consumer group's committed offset on one partition and how far it trails the log end.
struct GroupPartitionGauges: Sendable {
    let committedOffset: Gauge
    let lag: Gauge
}
