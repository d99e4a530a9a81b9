import Foundation

/// kafka-consumer-perf-test's counters and lines: megabytes are 1024 × 1024 bytes of keys and
/// values, and fetch time is the elapsed time without the group join (rebalance) time.
struct ConsumerPerformanceProgress {
    let start: ContinuousClock.Instant
    private(set) var messages = 0
    private(set) var bytes = 0
    var joinTime: Duration?
    private var lastReport: ContinuousClock.Instant
    private var lastMessages = 0
    private var lastBytes = 0
    /// Kafka counts the join in the first interval that reports after it.
    private var joinReported = false

    init(start: ContinuousClock.Instant) {
        self.start = start
        lastReport = start
    }

    mutating func add(bytes recordBytes: Int) {
        messages += 1
        bytes += recordBytes
    }

    /// `--show-detailed-stats`: a row for the interval just ended, at most every `interval`.
    mutating func intervalLine(now: ContinuousClock.Instant, every interval: Duration, date: String) -> String? {
        guard now - lastReport >= interval else { return nil }
        let elapsedMs = Self.milliseconds(now - lastReport)
        let joinMs = joinReported ? 0 : Int(Self.milliseconds(joinTime ?? .zero))
        joinReported = joinReported || joinTime != nil
        let fetchMs = Double(max(Int(elapsedMs) - joinMs, 0))
        let intervalMegabytes = Double(bytes - lastBytes) / (1024 * 1024)
        let intervalMessages = Double(messages - lastMessages)
        let fetchRates = fetchMs > 0 ? (1000 * intervalMegabytes / fetchMs, 1000 * intervalMessages / fetchMs) : (0, 0)
        let line =
            "\(date), 0, " + String(format: "%.4f, %.4f, ", Double(bytes) / (1024 * 1024), 1000 * intervalMegabytes / elapsedMs)
            + "\(messages), " + String(format: "%.4f", intervalMessages / elapsedMs * 1000)
            + ", \(joinMs), \(Int(fetchMs)), " + String(format: "%.4f, %.4f", fetchRates.0, fetchRates.1) + "\n"
        lastReport = now
        lastMessages = messages
        lastBytes = bytes
        return line
    }

    /// The result row: start, end, MB, MB/s, messages, messages/s, rebalance ms, fetch ms, fetch MB/s, fetch messages/s.
    func totalLine(end: ContinuousClock.Instant, startDate: String, endDate: String) -> String {
        let elapsedMs = Self.milliseconds(end - start)
        let joinMs = Int(Self.milliseconds(joinTime ?? .zero))
        let fetchMs = Int(elapsedMs) - joinMs
        let megabytes = Double(bytes) / (1024 * 1024)
        return "\(startDate), \(endDate), " + String(format: "%.4f, %.4f, ", megabytes, megabytes / (elapsedMs / 1000))
            + "\(messages), " + String(format: "%.4f", Double(messages) / (elapsedMs / 1000))
            + ", \(joinMs), \(fetchMs), "
            + String(format: "%.4f, %.4f", megabytes / (Double(fetchMs) / 1000), Double(messages) / (Double(fetchMs) / 1000))
            + "\n"
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
