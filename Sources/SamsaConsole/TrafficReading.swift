import KafkaBroker

/// The broker's traffic totals at one moment.
struct TrafficReading: Sendable {
    var at: ContinuousClock.Instant
    var totals: TrafficTotals
}
