/// A rebalance listener with the consumer it reports to. The consumer is held weakly: the core
/// that keeps this belongs to the consumer, and a consumer dropped without `close()` is closed by
/// a task that outlives it.
struct BoundRebalanceListener: Sendable {
    enum Event: String, CustomStringConvertible {
        case revoked, assigned, lost
        var description: String { rawValue }
    }

    let listener: any KafkaConsumerRebalanceListener
    weak let consumer: KafkaConsumer?

    func notify(_ event: Event, _ partitions: [TopicPartition]) async throws(KafkaError) {
        guard let consumer else { return }
        do {
            switch event {
            case .revoked: try await listener.partitionsRevoked(partitions, consumer: consumer)
            case .assigned: try await listener.partitionsAssigned(partitions, consumer: consumer)
            case .lost: try await listener.partitionsLost(partitions, consumer: consumer)
            }
        } catch {
            throw KafkaError(.callbackFailed, "the rebalance listener threw on partitions \(event)", underlying: error)
        }
    }
}
