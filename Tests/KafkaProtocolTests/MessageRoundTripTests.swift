import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

@Suite("Generated messages", .tags(.pure))
struct MessageRoundTripTests {
    @Test("every message round-trips at every valid version", arguments: allMessageSamples)
    func roundTrip(sample: MessageSample) throws {
        for version in sample.versions {
            let encoded = sample.encode(version)
            let reencoded = try sample.decodeAndEncode(encoded, version)
            #expect(reencoded == encoded, "\(sample.name) v\(version)")
        }
    }

    @Test func unknownTaggedFieldsSurviveNextToKnownOnes() throws {
        var partition = FetchResponse.PartitionData.sample()
        partition.unknownTaggedFields = [UnknownTaggedField(tag: 5, data: ByteBuffer(bytes: [1, 2]))]
        var response = FetchResponse.sample()
        response.responses[0].partitions = [partition]
        response.unknownTaggedFields = [
            UnknownTaggedField(tag: 99, data: ByteBuffer(bytes: [0xAA])),
            UnknownTaggedField(tag: 1_000, data: ByteBuffer()),
        ]
        var encoded = ByteBuffer()
        response.encode(into: &encoded, version: 16)
        let decoded = try KafkaMessageCodec.decode(FetchResponse.self, from: encoded, version: 16)
        #expect(decoded.unknownTaggedFields == response.unknownTaggedFields)
        #expect(decoded.responses[0].partitions[0].unknownTaggedFields == partition.unknownTaggedFields)
        #expect(decoded.responses[0].partitions[0].divergingEpoch == partition.divergingEpoch, "known nested tag 0")
        #expect(decoded.nodeEndpoints == response.nodeEndpoints, "known tagged field 0 still decoded")
        var reencoded = ByteBuffer()
        decoded.encode(into: &reencoded, version: 16)
        #expect(reencoded == encoded)
    }

    @Test func taggedFieldsAreWrittenInTagOrderAndOnlyWhenSet() {
        var request = ApiVersionsRequest(clientSoftwareName: "a", clientSoftwareVersion: "b")
        var plain = ByteBuffer()
        request.encode(into: &plain, version: 3)
        #expect(Array(plain.readableBytesView) == [2, 0x61, 2, 0x62, 0])
        request.unknownTaggedFields = [
            UnknownTaggedField(tag: 7, data: ByteBuffer(bytes: [7])),
            UnknownTaggedField(tag: 2, data: ByteBuffer(bytes: [2])),
        ]
        var tagged = ByteBuffer()
        request.encode(into: &tagged, version: 3)
        #expect(Array(tagged.readableBytesView) == [2, 0x61, 2, 0x62, 2, 2, 1, 2, 7, 1, 7])
    }

    @Test("a message cut short at any byte throws instead of trapping", arguments: allMessageSamples)
    func truncatedInputThrows(sample: MessageSample) {
        for version in [sample.versions.lowerBound, sample.versions.upperBound] {
            let encoded = sample.encode(version)
            for length in 0..<encoded.readableBytes {
                let truncated = encoded.getSlice(at: encoded.readerIndex, length: length)!
                #expect(throws: ProtocolDecodingError.self, "\(sample.name) v\(version) cut at \(length)") {
                    _ = try sample.decodeAndEncode(truncated, version)
                }
            }
        }
    }

    @Test("random bytes never trap", arguments: allMessageSamples)
    func randomBytes(sample: MessageSample) {
        var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: sample.name.hashValue))
        for version in sample.versions {
            for _ in 0..<20 {
                let length = Int.random(in: 0..<64, using: &generator)
                let bytes = ByteBuffer(bytes: (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
                _ = try? sample.decodeAndEncode(bytes, version)
            }
        }
    }

    @Test func versionOutsideTheSpecIsRejected() {
        var bytes = ByteBuffer()
        MetadataRequest().encode(into: &bytes, version: 12)
        #expect(throws: ProtocolDecodingError.self) {
            _ = try KafkaMessageCodec.decode(MetadataRequest.self, from: bytes, version: 13)
        }
    }

    @Test func trailingBytesAreRejected() {
        var bytes = ByteBuffer()
        HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m").encode(into: &bytes, version: 0)
        bytes.writeInteger(UInt8(0))
        #expect {
            _ = try KafkaMessageCodec.decode(HeartbeatRequest.self, from: bytes, version: 0)
        } throws: { error in
            (error as? ProtocolDecodingError)?.code == .trailingBytes
        }
    }
}

/// SplitMix64: reproducible random input for tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
