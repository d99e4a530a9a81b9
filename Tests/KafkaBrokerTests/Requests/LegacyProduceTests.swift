import KafkaProtocol
import KafkaRecords
import NIOCore
import SamsaTestSupport
import Testing

/// Produce v0-2 with magic 0/1 messages, which the broker stores as record batches v2.
@Suite("Produce v0-2 with magic 0 and 1 messages", .serialized, .tags(.component))
struct LegacyProduceTests {
    /// One legacy message with its offset and size prefix; `timestamp` makes it magic 1.
    static func message(
        offset: Int64, key: String?, value: ByteBuffer?, timestamp: Int64? = nil, codec: CompressionCodec = .none
    ) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeInteger(Int8(timestamp == nil ? 0 : 1))
        body.writeInteger(Int8(codec.rawValue))
        if let timestamp { body.writeInteger(timestamp) }
        for field in [key.map { ByteBuffer(string: $0) }, value] {
            if let field {
                body.writeInteger(Int32(field.readableBytes))
                body.writeImmutableBuffer(field)
            } else {
                body.writeInteger(Int32(-1))
            }
        }
        var entry = ByteBuffer()
        entry.writeInteger(offset)
        entry.writeInteger(Int32(4 + body.readableBytes))
        entry.writeInteger(CRC32.checksum(body))
        entry.writeImmutableBuffer(body)
        return entry
    }

    static func storedBatches(_ topic: String, on connection: inout RawKafkaConnection) async throws -> [RecordBatch] {
        let fetched = try await connection.roundTrip(
            FetchRequest(
                maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20,
                topics: [.init(topic: topic, partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])]),
            version: 12)
        guard let records = fetched.responses.first?.partitions.first?.records else { return [] }
        var view = RecordBatchView(records)
        var batches: [RecordBatch] = []
        while let entry = try view.next() {
            guard case .batch(let batch) = entry else {
                Issue.record("stored something other than a v2 batch: \(entry)")
                continue
            }
            batches.append(batch)
        }
        return batches
    }

    @Test func magicZeroMessagesBecomeOneUncompressedBatch() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("legacy")
                var messages = Self.message(offset: 0, key: "k0", value: ByteBuffer(string: "v0"))
                messages.writeImmutableBuffer(Self.message(offset: 1, key: nil, value: ByteBuffer(string: "v1")))
                let response = try await connection.roundTrip(BrokerRequestTests.produce("legacy", messages), version: 0)
                #expect(BrokerRequestTests.produceError(response) == .noError)
                #expect(response.responses.first?.partitionResponses.first?.baseOffset == 0)

                let batches = try await Self.storedBatches("legacy", on: &connection)
                #expect(batches.count == 1)
                let records = try #require(batches.first).decodedRecords()
                #expect(records.map(\.offset) == [0, 1])
                #expect(records.map(\.key) == [ByteBuffer(string: "k0"), nil])
                #expect(records.map(\.value) == [ByteBuffer(string: "v0"), ByteBuffer(string: "v1")])
                #expect(records.map(\.timestamp) == [-1, -1], "magic 0 has no timestamps")
            }
        }
    }

    @Test func aCompressedMagicOneWrapperKeepsItsCodecAndTimestamps() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("legacy-gzip")
                var inner = Self.message(offset: 0, key: "a", value: ByteBuffer(string: "first"), timestamp: 1_700_000_000_000)
                inner.writeImmutableBuffer(
                    Self.message(offset: 1, key: "b", value: ByteBuffer(string: "second"), timestamp: 1_700_000_000_007))
                let compressed = try GzipRecordCompressor().compress(inner, allocator: ByteBufferAllocator())
                // The wrapper carries the offset of its last inner message (relative offsets, magic 1).
                let wrapper = Self.message(offset: 1, key: nil, value: compressed, timestamp: 1_700_000_000_007, codec: .gzip)
                let response = try await connection.roundTrip(BrokerRequestTests.produce("legacy-gzip", wrapper), version: 2)
                #expect(BrokerRequestTests.produceError(response) == .noError)

                let batch = try #require(try await Self.storedBatches("legacy-gzip", on: &connection).first)
                #expect(batch.header.attributes.compression == .gzip)
                let records = try batch.decodedRecords()
                #expect(records.map(\.value) == [ByteBuffer(string: "first"), ByteBuffer(string: "second")])
                #expect(records.map(\.timestamp) == [1_700_000_000_000, 1_700_000_000_007])
                #expect(records.map(\.offset) == [0, 1])
            }
        }
    }

    @Test func legacyMessagesNeedAVersionBelowThreeAndMayNotMixWithBatches() async throws {
        try await InProcessBroker.with { broker in
            try await RawKafkaConnection.with(port: broker.port) { connection in
                try await connection.createTopic("strict")
                let legacy = Self.message(offset: 0, key: nil, value: ByteBuffer(string: "old"))
                let tooNew = try await connection.roundTrip(BrokerRequestTests.produce("strict", legacy), version: 3)
                #expect(BrokerRequestTests.produceError(tooNew) == .invalidRecord)

                var mixed = legacy
                mixed.writeImmutableBuffer(try BrokerRequestTests.batch(["new"]))
                let mixedResponse = try await connection.roundTrip(BrokerRequestTests.produce("strict", mixed), version: 2)
                #expect(BrokerRequestTests.produceError(mixedResponse) == .invalidRecord)

                let corrupt = legacy.getSlice(at: 0, length: legacy.readableBytes - 1)!
                var corruptCRC = legacy
                corruptCRC.setInteger(UInt8(0x55), at: corruptCRC.writerIndex - 1)
                let corruptResponse = try await connection.roundTrip(BrokerRequestTests.produce("strict", corruptCRC), version: 1)
                #expect(BrokerRequestTests.produceError(corruptResponse) == .corruptMessage)
                let cutResponse = try await connection.roundTrip(BrokerRequestTests.produce("strict", corrupt), version: 1)
                #expect(BrokerRequestTests.produceError(cutResponse) == .corruptMessage)
                #expect(try await Self.storedBatches("strict", on: &connection).isEmpty, "nothing refused was stored")
            }
        }
    }
}
