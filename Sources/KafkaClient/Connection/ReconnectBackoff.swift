/// How long to wait before connecting again to a broker that refused or dropped the connection:
/// kafka-python's `reconnect_backoff_ms` doubled per consecutive failure up to
/// `reconnect_backoff_max_ms`, with ±20% jitter so that many clients do not reconnect in step.
struct ReconnectBackoff: Hashable, Sendable {
    var initialMs: Int
    var maximumMs: Int
    private(set) var consecutiveFailures = 0

    init(initialMs: Int, maximumMs: Int) {
        self.initialMs = initialMs
        self.maximumMs = max(initialMs, maximumMs)
    }

    /// Records a failure and returns the delay before the next attempt.
    /// - Parameter jitter: a factor in 0.8...1.2; random by default, fixed in tests.
    mutating func failed(jitter: Double = Double.random(in: 0.8...1.2)) -> Duration {
        let exponent = min(consecutiveFailures, 30)
        consecutiveFailures += 1
        let base = min(Double(maximumMs), Double(initialMs) * Double(1 << exponent))
        return .milliseconds(Int(base * jitter))
    }

    mutating func succeeded() {
        consecutiveFailures = 0
    }
}
