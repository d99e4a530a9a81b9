import Foundation

/// kafka-producer-perf-test's statistics: a line every 5 s for the window just ended and a total
/// with latency percentiles from up to 500 000 sampled latencies.
struct ProducerPerformanceStats {
    private let start: ContinuousClock.Instant
    private let sampling: Int
    private var latencies: [Int] = []
    private var iteration = 0
    private var count = 0
    private var bytes = 0
    private var maxLatency = 0
    private var totalLatency = 0
    private var windowStart: ContinuousClock.Instant
    private var windowCount = 0
    private var windowBytes = 0
    private var windowMaxLatency = 0
    private var windowTotalLatency = 0
    private let reportingInterval = Duration.seconds(5)

    init(numRecords: Int, now: ContinuousClock.Instant = .now) {
        start = now
        windowStart = now
        sampling = max(1, numRecords / min(max(numRecords, 1), 500_000))
        latencies.reserveCapacity(min(numRecords, 500_000) + 1)
    }

    /// Records one acknowledged record; returns the window line when 5 s have passed.
    mutating func record(latencyMs: Int, bytes recordBytes: Int, now: ContinuousClock.Instant) -> String? {
        count += 1
        bytes += recordBytes
        totalLatency += latencyMs
        maxLatency = max(maxLatency, latencyMs)
        windowCount += 1
        windowBytes += recordBytes
        windowTotalLatency += latencyMs
        windowMaxLatency = max(windowMaxLatency, latencyMs)
        if iteration % sampling == 0 { latencies.append(latencyMs) }
        iteration += 1
        guard now - windowStart >= reportingInterval else { return nil }
        let line = windowLine(now: now)
        windowStart = now
        windowCount = 0
        windowBytes = 0
        windowMaxLatency = 0
        windowTotalLatency = 0
        return line
    }

    private func windowLine(now: ContinuousClock.Instant) -> String {
        let elapsedMs = Self.milliseconds(now - windowStart)
        let recordsPerSecond = 1000.0 * Double(windowCount) / elapsedMs
        let megabytesPerSecond = 1000.0 * Double(windowBytes) / elapsedMs / (1024.0 * 1024.0)
        let averageLatency = Double(windowTotalLatency) / Double(windowCount)
        return "\(windowCount) records sent, "
            + String(
                format: "%.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.\n",
                recordsPerSecond, megabytesPerSecond, averageLatency, Double(windowMaxLatency))
    }

    /// The closing line, Kafka's `printTotal`.
    func totalLine(now: ContinuousClock.Instant = .now) -> String {
        let elapsedMs = max(Self.milliseconds(now - start), 1)
        let recordsPerSecond = 1000.0 * Double(count) / elapsedMs
        let megabytesPerSecond = 1000.0 * Double(bytes) / elapsedMs / (1024.0 * 1024.0)
        let averageLatency = count > 0 ? Double(totalLatency) / Double(count) : .nan
        let sorted = latencies.sorted()
        let percentiles = [0.5, 0.95, 0.99, 0.999].map {
            sorted.isEmpty ? 0 : sorted[min(Int($0 * Double(sorted.count)), sorted.count - 1)]
        }
        return "\(count) records sent, "
            + String(
                format: "%f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, ",
                recordsPerSecond, megabytesPerSecond, averageLatency, Double(maxLatency))
            + "\(percentiles[0]) ms 50th, \(percentiles[1]) ms 95th, \(percentiles[2]) ms 99th, \(percentiles[3]) ms 99.9th.\n"
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
