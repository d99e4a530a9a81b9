import Metrics

/// The state of one partition log, refreshed from the log when metrics are read.
struct PartitionGauges: Sendable {
    let logStartOffset: Gauge
    let logEndOffset: Gauge
    let sizeInBytes: Gauge
    let segmentCount: Gauge
}
