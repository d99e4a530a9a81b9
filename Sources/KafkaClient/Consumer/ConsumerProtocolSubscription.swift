import KafkaProtocol
import NIOCore

/// The member metadata of the "consumer" protocol type (Kafka's `ConsumerProtocolSubscription`):
/// what a member sends in JoinGroup and the leader reads to assign partitions. Written at v0,
/// which every client reads; newer versions only append fields, which reading skips.
struct ConsumerProtocolSubscription: Hashable, Sendable {
    var topics: [String]
    var userData: ByteBuffer?

    init(topics: [String], userData: ByteBuffer? = nil) {
        self.topics = topics
        self.userData = userData
    }

    init(decoding bytes: ByteBuffer) throws(KafkaError) {
        var buffer = bytes
        do {
            _ = try buffer.readKafkaInteger(as: Int16.self)
            topics = try buffer.readKafkaArray(compact: false) { try $0.readKafkaString(compact: false) }
            userData = buffer.readableBytes > 0 ? try buffer.readKafkaNullableBytes(compact: false) : nil
        } catch {
            throw KafkaError(.protocolViolation, "undecodable consumer subscription metadata", underlying: error)
        }
    }

    func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(0))
        buffer.writeKafkaArray(topics, compact: false) { $0.writeKafkaString($1, compact: false) }
        buffer.writeKafkaNullableBytes(userData, compact: false)
        return buffer
    }
}
