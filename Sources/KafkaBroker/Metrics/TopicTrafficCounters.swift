import Metrics

/// Kafka's BrokerTopicMetrics for one topic: messages and record bytes in, record bytes out.
struct TopicTrafficCounters: Sendable {
    let messagesIn: Counter
    let bytesIn: Counter
    let bytesOut: Counter
}
