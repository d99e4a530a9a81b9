/// Keeps a sending loop near `targetPerSecond` records per second (Kafka's ThroughputThrottler):
/// after each record it sleeps while the loop is ahead of schedule. A negative target (Kafka's -1)
/// disables throttling.
struct ThroughputThrottler {
    let targetPerSecond: Double
    private let start = ContinuousClock.now

    init(targetPerSecond: Double) {
        self.targetPerSecond = targetPerSecond
    }

    func throttle(sent: Int) async throws {
        guard targetPerSecond > 0 else { return }
        let due = start + .seconds(Double(sent) / targetPerSecond)
        if due > .now { try await Task.sleep(until: due) }
    }
}
