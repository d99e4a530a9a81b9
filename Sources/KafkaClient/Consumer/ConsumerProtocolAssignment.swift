import KafkaProtocol
import NIOCore

/// The member assignment of the "consumer" protocol type (Kafka's `ConsumerProtocolAssignment`):
/// what the leader hands each member through SyncGroup. Written at v0; reading accepts any version.
struct ConsumerProtocolAssignment: Hashable, Sendable {
    var partitions: [TopicPartition]
    var userData: ByteBuffer?

    init(partitions: [TopicPartition], userData: ByteBuffer? = nil) {
        self.partitions = partitions
        self.userData = userData
    }

    /// An empty buffer is an empty assignment (what a coordinator sends a member it assigned nothing).
    init(decoding bytes: ByteBuffer) throws(KafkaError) {
        var buffer = bytes
        guard buffer.readableBytes > 0 else {
            self.init(partitions: [])
            return
        }
        do {
            _ = try buffer.readKafkaInteger(as: Int16.self)
            let topics = try buffer.readKafkaArray(compact: false) { element -> [TopicPartition] in
                let topic = try element.readKafkaString(compact: false)
                let partitions = try element.readKafkaArray(compact: false) { try $0.readKafkaInteger(as: Int32.self) }
                return partitions.map { TopicPartition(topic: topic, partition: $0) }
            }
            let userData = buffer.readableBytes > 0 ? try buffer.readKafkaNullableBytes(compact: false) : nil
            self.init(partitions: topics.flatMap { $0 }, userData: userData)
        } catch {
            throw KafkaError(.protocolViolation, "undecodable consumer assignment", underlying: error)
        }
    }

    func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(0))
        let byTopic = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }
        buffer.writeKafkaArray(byTopic, compact: false) { buffer, entry in
            buffer.writeKafkaString(entry.key, compact: false)
            buffer.writeKafkaArray(entry.value.map(\.partition).sorted(), compact: false) { $0.writeInteger($1) }
        }
        buffer.writeKafkaNullableBytes(userData, compact: false)
        return buffer
    }
}
