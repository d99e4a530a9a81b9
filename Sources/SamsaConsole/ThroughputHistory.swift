import KafkaBroker
import Synchronization

/// Readings of the broker's traffic totals and of each topic's appended-message count, taken
/// every few seconds and turned into rates: the overview's chart and the topics' messages per
/// second. Only the last two topic readings are kept, so a thousand topics cost two dictionaries.
final class ThroughputHistory: Sendable {
    private struct State {
        var readings: [TrafficReading] = []
        var previousTopics: (at: ContinuousClock.Instant, appended: [String: Int64])?
        var latestTopics: (at: ContinuousClock.Instant, appended: [String: Int64])?
    }

    /// How many readings the chart spans.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    func record(totals: TrafficTotals, topics: [TopicOverview], at instant: ContinuousClock.Instant) {
        let appended = Dictionary(uniqueKeysWithValues: topics.map { ($0.name, $0.appendedMessageCount) })
        state.withLock { state in
            state.readings.append(TrafficReading(at: instant, totals: totals))
            if state.readings.count > capacity + 1 { state.readings.removeFirst(state.readings.count - capacity - 1) }
            state.previousTopics = state.latestTopics
            state.latestTopics = (instant, appended)
        }
    }

    /// One point per interval between readings, oldest first; at most `capacity`.
    var points: [ThroughputPoint] {
        let readings = state.withLock { $0.readings }
        return zip(readings, readings.dropFirst()).map { earlier, later in
            let seconds = Self.seconds(later.at - earlier.at)
            return ThroughputPoint(
                bytesInPerSecond: Double(later.totals.bytesIn - earlier.totals.bytesIn) / seconds,
                bytesOutPerSecond: Double(later.totals.bytesOut - earlier.totals.bytesOut) / seconds)
        }
    }

    /// Messages appended per second between the last two readings; nil before there are two, or
    /// for a topic that did not exist at both.
    func messagesPerSecond(topic: String) -> Double? {
        state.withLock { state in
            guard let previous = state.previousTopics, let latest = state.latestTopics,
                let before = previous.appended[topic], let after = latest.appended[topic]
            else { return nil }
            return Double(max(0, after - before)) / Self.seconds(latest.at - previous.at)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        max(0.001, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
