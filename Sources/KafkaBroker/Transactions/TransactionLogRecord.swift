import KafkaProtocol
import KafkaStorage
import NIOCore

/// One record of the internal compacted topic `__transaction_state`, in Kafka's layouts
/// (TransactionLogKey v0: transactional id; TransactionLogValue v0: producer id and epoch,
/// timeout, state, partitions by topic, last update and start timestamps), so the latest record
/// of each id is its metadata. A nil value (tombstone) removes an expired id.
struct TransactionLogRecord: Hashable, Sendable {
    var transactionalId: String
    var metadata: TransactionMetadata?

    private static let keyVersion: Int16 = 0
    private static let valueVersion: Int16 = 0

    init(transactionalId: String, metadata: TransactionMetadata?) {
        self.transactionalId = transactionalId
        self.metadata = metadata
    }

    var key: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.keyVersion)
        buffer.writeKafkaString(transactionalId, compact: false)
        return buffer
    }

    var value: ByteBuffer? {
        guard let metadata else { return nil }
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.valueVersion)
        buffer.writeInteger(metadata.producerId)
        buffer.writeInteger(metadata.producerEpoch)
        buffer.writeInteger(metadata.timeoutMs)
        buffer.writeInteger(metadata.state.rawValue)
        let byTopic = Dictionary(grouping: metadata.partitions, by: \.topic).sorted { $0.key < $1.key }
        buffer.writeKafkaArray(byTopic, compact: false) { buffer, entry in
            buffer.writeKafkaString(entry.key, compact: false)
            buffer.writeKafkaArray(entry.value.map(\.partition).sorted(), compact: false) { $0.writeInteger($1) }
        }
        buffer.writeInteger(metadata.lastUpdateTimestampMs)
        buffer.writeInteger(metadata.startTimestampMs)
        return buffer
    }

    /// Decodes a record read back from the topic; nil for a key version or state this broker does
    /// not know.
    init?(key: ByteBuffer, value: ByteBuffer?) throws {
        var key = key
        guard try key.readKafkaInteger(as: Int16.self) == Self.keyVersion else { return nil }
        transactionalId = try key.readKafkaString(compact: false)
        guard var value else {
            metadata = nil
            return
        }
        _ = try value.readKafkaInteger(as: Int16.self)
        let producerId = try value.readKafkaInteger(as: Int64.self)
        let producerEpoch = try value.readKafkaInteger(as: Int16.self)
        let timeoutMs = try value.readKafkaInteger(as: Int32.self)
        let rawState = try value.readKafkaInteger(as: Int8.self)
        guard let state = TransactionState(rawValue: rawState) else { return nil }
        let partitions = try value.readKafkaNullableArray(compact: false) { buffer in
            let topic = try buffer.readKafkaString(compact: false)
            return try buffer.readKafkaArray(compact: false) { buffer in
                TopicPartition(topic: topic, partition: try buffer.readKafkaInteger(as: Int32.self))
            }
        }
        let lastUpdate = try value.readKafkaInteger(as: Int64.self)
        let start = try value.readKafkaInteger(as: Int64.self)
        metadata = TransactionMetadata(
            transactionalId: transactionalId, producerId: producerId, producerEpoch: producerEpoch, timeoutMs: timeoutMs,
            state: state, partitions: Set((partitions ?? []).flatMap { $0 }), startTimestampMs: start,
            lastUpdateTimestampMs: lastUpdate)
    }
}
