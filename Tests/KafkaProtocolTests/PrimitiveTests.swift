import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Protocol primitives", .tags(.pure))
struct PrimitiveTests {
    private func bytes(_ write: (inout ByteBuffer) -> Void) -> [UInt8] {
        var buffer = ByteBuffer()
        write(&buffer)
        return Array(buffer.readableBytesView)
    }

    @Test func fixedWidthIntegersAreBigEndian() throws {
        #expect(bytes { $0.writeInteger(Int32(0x0102_0304)) } == [1, 2, 3, 4])
        var buffer = ByteBuffer(bytes: [0xFF, 0xFE])
        #expect(try buffer.readKafkaInteger(as: Int16.self) == -2)
        #expect(throws: ProtocolDecodingError.self) { try buffer.readKafkaInteger(as: Int8.self) }
    }

    @Test func unsignedVarints() throws {
        #expect(bytes { $0.writeUnsignedVarint(0) } == [0x00])
        #expect(bytes { $0.writeUnsignedVarint(127) } == [0x7F])
        #expect(bytes { $0.writeUnsignedVarint(128) } == [0x80, 0x01])
        #expect(bytes { $0.writeUnsignedVarint(300) } == [0xAC, 0x02])
        #expect(bytes { $0.writeUnsignedVarint(UInt32.max) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        var buffer = ByteBuffer(bytes: [0xAC, 0x02])
        #expect(try buffer.readUnsignedVarint() == 300)
    }

    @Test func zigZagVarints() throws {
        #expect(bytes { $0.writeVarint(0) } == [0x00])
        #expect(bytes { $0.writeVarint(-1) } == [0x01])
        #expect(bytes { $0.writeVarint(1) } == [0x02])
        #expect(bytes { $0.writeVarint(-64) } == [0x7F])
        #expect(bytes { $0.writeVarint(64) } == [0x80, 0x01])
        #expect(bytes { $0.writeVarint(Int32.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(bytes { $0.writeVarlong(Int64.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        for value: Int64 in [0, 1, -1, 1_700_000_000_000, Int64.max, Int64.min] {
            var buffer = ByteBuffer()
            buffer.writeVarlong(value)
            #expect(buffer.readableBytes == VarintSize.varlong(value))
            #expect(try buffer.readVarlong() == value)
        }
        for value: Int32 in [0, 1, -1, 300, -300, Int32.max, Int32.min] {
            var buffer = ByteBuffer()
            buffer.writeVarint(value)
            #expect(buffer.readableBytes == VarintSize.varint(value))
            #expect(try buffer.readVarint() == value)
        }
    }

    @Test func overlongVarintIsRejected() {
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(throws: ProtocolDecodingError.self) { try buffer.readUnsignedVarint() }
    }

    @Test func stringsInClassicAndCompactForm() throws {
        #expect(bytes { $0.writeKafkaString("ab", compact: false) } == [0, 2, 0x61, 0x62])
        #expect(bytes { $0.writeKafkaString("ab", compact: true) } == [3, 0x61, 0x62])
        #expect(bytes { $0.writeKafkaNullableString(nil, compact: false) } == [0xFF, 0xFF])
        #expect(bytes { $0.writeKafkaNullableString(nil, compact: true) } == [0])
        var classic = ByteBuffer(bytes: [0xFF, 0xFF])
        #expect(try classic.readKafkaNullableString(compact: false) == nil)
        var compact = ByteBuffer(bytes: [3, 0x61, 0x62])
        #expect(try compact.readKafkaString(compact: true) == "ab")
        var null = ByteBuffer(bytes: [0])
        #expect(throws: ProtocolDecodingError.self) { try null.readKafkaString(compact: true) }
    }

    @Test func bytesAndArrays() throws {
        #expect(bytes { $0.writeKafkaNullableBytes(nil, compact: false) } == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(bytes { $0.writeKafkaBytes(ByteBuffer(bytes: [9]), compact: true) } == [2, 9])
        #expect(bytes { $0.writeKafkaArray([Int32(7)], compact: false) { $0.writeInteger($1) } } == [0, 0, 0, 1, 0, 0, 0, 7])
        #expect(bytes { $0.writeKafkaNullableArray([Int32]?.none, compact: true) { $0.writeInteger($1) } } == [0])
        var buffer = ByteBuffer(bytes: [2, 0, 0, 0, 7])
        #expect(try buffer.readKafkaArray(compact: true) { try $0.readKafkaInteger(as: Int32.self) } == [7])
    }

    @Test(
        "hostile lengths are rejected before allocating",
        arguments: [
            [0xFF, 0xFE] as [UInt8],  // int16 -2
            [0x7F, 0xFF],  // int16 32767 with nothing behind it
            [0x7F, 0xFF, 0xFF, 0xFF],  // int32 2^31-1
            [0xFF, 0xFF, 0xFF, 0xFE],  // int32 -2
            [0xFF, 0xFF, 0xFF, 0xFF, 0x07],  // compact 2^31-1
        ])
    func hostileLengths(prefix: [UInt8]) {
        var string = ByteBuffer(bytes: prefix)
        _ = try? string.readKafkaNullableString(compact: prefix.count == 5)
        var array = ByteBuffer(bytes: prefix)
        #expect(throws: ProtocolDecodingError.self) {
            _ = try array.readKafkaNullableArray(compact: prefix.count == 5) { try $0.readKafkaInteger(as: Int8.self) }
        }
        if prefix.count != 2 {
            var bytes = ByteBuffer(bytes: prefix)
            #expect(throws: ProtocolDecodingError.self) { _ = try bytes.readKafkaNullableBytes(compact: prefix.count == 5) }
        } else {
            var string = ByteBuffer(bytes: prefix)
            #expect(throws: ProtocolDecodingError.self) { _ = try string.readKafkaNullableString(compact: false) }
        }
    }

    @Test func uuidTextMatchesKafka() throws {
        // Kafka prints Uuid(0x0102030405060708, 0x090A0B0C0D0E0F10) as URL-safe base64 without padding.
        let uuid = KafkaUUID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
        #expect(uuid.description == "AQIDBAUGBwgJCgsMDQ4PEA")
        #expect(KafkaUUID("AQIDBAUGBwgJCgsMDQ4PEA") == uuid)
        #expect(KafkaUUID.zero.description == "AAAAAAAAAAAAAAAAAAAAAA")
        let random = KafkaUUID.random()
        #expect(random != .zero)
        #expect(KafkaUUID(random.description) == random)
    }

    @Test func errorCodesCarryKafkasNamesAndFlags() {
        #expect(ErrorCode.unknownTopicOrPartition.rawValue == 3)
        #expect(ErrorCode.unknownTopicOrPartition.name == "UNKNOWN_TOPIC_OR_PARTITION")
        #expect(ErrorCode.unknownTopicOrPartition.isRetriable)
        #expect(ErrorCode.corruptMessage.isRetriable)
        #expect(!ErrorCode.invalidReplicationFactor.isRetriable)
        #expect(ErrorCode.noError.rawValue == 0)
        #expect(ErrorCode.unsupportedVersion.rawValue == 35)
        #expect(
            ErrorCode.invalidReplicationFactor.defaultMessage
                == "Replication factor is below 1 or larger than the number of available brokers.")
        #expect(ErrorCode(rawValue: 9999).name == nil)
    }

    @Test func apiKeysAndHeaderVersions() {
        #expect(ApiKey.produce.rawValue == 0)
        #expect(ApiKey.apiVersions.name == "ApiVersions")
        #expect(ApiKey.metadata.requestHeaderVersion(for: 8) == 1)
        #expect(ApiKey.metadata.requestHeaderVersion(for: 9) == 2)
        #expect(ApiKey.metadata.responseHeaderVersion(for: 9) == 1)
        #expect(ApiKey.apiVersions.responseHeaderVersion(for: 3) == 0)
        #expect(ApiKey.fetch.definedVersions == 0...17)
        #expect(ApiKey(rawValue: 999).definedVersions == nil)
    }
}
