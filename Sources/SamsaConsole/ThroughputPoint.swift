/// Record bytes per second produced and fetched between two readings.
struct ThroughputPoint: Sendable, Equatable {
    var bytesInPerSecond: Double
    var bytesOutPerSecond: Double
}
