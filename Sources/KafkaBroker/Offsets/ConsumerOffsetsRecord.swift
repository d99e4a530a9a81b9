import KafkaProtocol
import KafkaStorage
import NIOCore

/// One record of the internal `__consumer_offsets` topic, in Kafka's own key and value layouts
/// (OffsetCommitKey v1 / OffsetCommitValue v3, GroupMetadataKey v2 / GroupMetadataValue v3), so
/// that the topic is compacted by key and replayed at start-up. A nil value is a tombstone.
enum ConsumerOffsetsRecord: Equatable {
    case offsetCommit(group: String, partition: TopicPartition, CommittedOffset?)
    case groupMetadata(group: String, GroupMetadataSnapshot?, stateTimestampMs: Int64)

    private static let offsetKeyVersion: Int16 = 1
    private static let groupKeyVersion: Int16 = 2
    private static let offsetValueVersion: Int16 = 3
    private static let groupValueVersion: Int16 = 3

    var key: ByteBuffer {
        var buffer = ByteBuffer()
        switch self {
        case .offsetCommit(let group, let partition, _):
            buffer.writeInteger(Self.offsetKeyVersion)
            buffer.writeKafkaString(group, compact: false)
            buffer.writeKafkaString(partition.topic, compact: false)
            buffer.writeInteger(partition.partition)
        case .groupMetadata(let group, _, _):
            buffer.writeInteger(Self.groupKeyVersion)
            buffer.writeKafkaString(group, compact: false)
        }
        return buffer
    }

    var value: ByteBuffer? {
        switch self {
        case .offsetCommit(_, _, nil), .groupMetadata(_, nil, _):
            return nil
        case .offsetCommit(_, _, let committed?):
            var buffer = ByteBuffer()
            buffer.writeInteger(Self.offsetValueVersion)
            buffer.writeInteger(committed.offset)
            buffer.writeInteger(committed.leaderEpoch)
            buffer.writeKafkaString(committed.metadata, compact: false)
            buffer.writeInteger(committed.commitTimestampMs)
            return buffer
        case .groupMetadata(_, let snapshot?, let stateTimestampMs):
            var buffer = ByteBuffer()
            buffer.writeInteger(Self.groupValueVersion)
            buffer.writeKafkaString(snapshot.protocolType ?? "", compact: false)
            buffer.writeInteger(snapshot.generationId)
            buffer.writeKafkaNullableString(snapshot.protocolName, compact: false)
            buffer.writeKafkaNullableString(snapshot.leaderId, compact: false)
            buffer.writeInteger(stateTimestampMs)
            buffer.writeKafkaArray(snapshot.members, compact: false) { buffer, member in
                buffer.writeKafkaString(member.memberId, compact: false)
                buffer.writeKafkaNullableString(member.groupInstanceId, compact: false)
                buffer.writeKafkaString(member.clientId, compact: false)
                buffer.writeKafkaString(member.clientHost, compact: false)
                buffer.writeInteger(member.rebalanceTimeoutMs)
                buffer.writeInteger(member.sessionTimeoutMs)
                buffer.writeKafkaBytes(member.subscription, compact: false)
                buffer.writeKafkaBytes(member.assignment, compact: false)
            }
            return buffer
        }
    }

    /// Decodes a record read back from the topic; nil for a key version this broker does not write
    /// (transaction or share-group records never appear here).
    init?(key: ByteBuffer, value: ByteBuffer?) throws {
        var key = key
        switch try key.readKafkaInteger(as: Int16.self) {
        case 0, 1:
            let group = try key.readKafkaString(compact: false)
            let partition = TopicPartition(
                topic: try key.readKafkaString(compact: false), partition: try key.readKafkaInteger(as: Int32.self))
            guard var value else {
                self = .offsetCommit(group: group, partition: partition, nil)
                return
            }
            let version = try value.readKafkaInteger(as: Int16.self)
            let offset = try value.readKafkaInteger(as: Int64.self)
            let leaderEpoch = version >= 3 ? try value.readKafkaInteger(as: Int32.self) : -1
            let metadata = try value.readKafkaString(compact: false)
            let timestamp = try value.readKafkaInteger(as: Int64.self)
            self = .offsetCommit(
                group: group, partition: partition,
                CommittedOffset(offset: offset, leaderEpoch: leaderEpoch, metadata: metadata, commitTimestampMs: timestamp))
        case 2:
            let group = try key.readKafkaString(compact: false)
            guard var value else {
                self = .groupMetadata(group: group, nil, stateTimestampMs: -1)
                return
            }
            let version = try value.readKafkaInteger(as: Int16.self)
            guard version == Self.groupValueVersion else { return nil }
            let protocolType = try value.readKafkaString(compact: false)
            let generation = try value.readKafkaInteger(as: Int32.self)
            let protocolName = try value.readKafkaNullableString(compact: false)
            let leader = try value.readKafkaNullableString(compact: false)
            let stateTimestampMs = try value.readKafkaInteger(as: Int64.self)
            let members = try value.readKafkaArray(compact: false) { buffer in
                GroupMemberSnapshot(
                    memberId: try buffer.readKafkaString(compact: false),
                    groupInstanceId: try buffer.readKafkaNullableString(compact: false),
                    clientId: try buffer.readKafkaString(compact: false),
                    clientHost: try buffer.readKafkaString(compact: false),
                    rebalanceTimeoutMs: try buffer.readKafkaInteger(as: Int32.self),
                    sessionTimeoutMs: try buffer.readKafkaInteger(as: Int32.self),
                    subscription: try buffer.readKafkaBytes(compact: false),
                    assignment: try buffer.readKafkaBytes(compact: false))
            }
            self = .groupMetadata(
                group: group,
                GroupMetadataSnapshot(
                    groupId: group, protocolType: protocolType.isEmpty ? nil : protocolType, generationId: generation,
                    protocolName: protocolName, leaderId: leader, members: members),
                stateTimestampMs: stateTimestampMs)
        default:
            return nil
        }
    }

    /// The `__consumer_offsets` partition of a group: Kafka's `Utils.abs(groupId.hashCode) % count`,
    /// with Java's String.hashCode over UTF-16 code units.
    static func partition(forGroup group: String, partitionCount: Int32) -> Int32 {
        var hash: Int32 = 0
        for unit in group.utf16 {
            hash = hash &* 31 &+ Int32(unit)
        }
        let positive = hash == Int32.min ? 0 : abs(hash)
        return positive % partitionCount
    }
}
