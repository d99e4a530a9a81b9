import KafkaProtocol
import NIOCore
import NIOEmbedded
import SamsaTestSupport
import Testing

@Suite("Frames and request headers", .tags(.pure))
struct FrameDecoderTests {
    @Test func framesAreSplitAcrossArbitraryChunks() throws {
        var stream = ByteBuffer()
        for correlationId: Int32 in 1...3 {
            KafkaMessageCodec.encodeRequest(
                MetadataRequest(topics: []), version: 1, correlationId: correlationId, clientId: "c", into: &stream)
        }
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1024)))
        while stream.readableBytes > 0 {
            let chunk = stream.readSlice(length: min(5, stream.readableBytes))!
            try channel.writeInbound(chunk)
        }
        var correlationIds: [Int32] = []
        while let frame = try channel.readInbound(as: ByteBuffer.self) {
            let request = try KafkaRequestFrame(frame: frame)
            #expect(request.apiKey == .metadata)
            #expect(request.header.clientId == "c")
            let body = try request.decodeBody(MetadataRequest.self)
            #expect(body.topics == [])
            correlationIds.append(request.correlationId)
        }
        #expect(correlationIds == [1, 2, 3])
        #expect(try channel.finish().isClean)
    }

    @Test("oversized or negative size prefixes are rejected before buffering", arguments: [Int32.max, 1025, -1, 0, 3])
    func badSizePrefix(size: Int32) {
        var decoder = KafkaFrameDecoder(maximumFrameSize: 1024)
        var buffer = ByteBuffer()
        buffer.writeInteger(size)
        #expect(throws: ProtocolDecodingError.self) { _ = try decoder.decode(buffer: &buffer) }
    }

    @Test func partialFrameWaitsForMoreBytes() throws {
        var decoder = KafkaFrameDecoder(maximumFrameSize: 1024)
        var buffer = ByteBuffer(bytes: [0, 0, 0, 8, 1, 2])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 6)
    }

    @Test func flexibleRequestHeaderKeepsClientIdClassic() throws {
        var stream = ByteBuffer()
        KafkaMessageCodec.encodeRequest(
            ApiVersionsRequest(clientSoftwareName: "samsa", clientSoftwareVersion: "1"), version: 3, correlationId: 9,
            clientId: "client", into: &stream)
        // size, api key 18, version 3, correlation id 9, client id as int16-length string, empty tag section.
        #expect(
            Array(stream.readableBytesView.prefix(21)) == [
                0, 0, 0, 26, 0, 18, 0, 3, 0, 0, 0, 9, 0, 6, 0x63, 0x6C, 0x69, 0x65, 0x6E, 0x74, 0,
            ])
        stream.moveReaderIndex(forwardBy: 4)
        let request = try KafkaRequestFrame(frame: stream)
        #expect(request.header.clientId == "client")
        #expect(try request.decodeBody(ApiVersionsRequest.self).clientSoftwareName == "samsa")
    }

    @Test func truncatedHeaderThrowsWithApiContext() {
        var stream = ByteBuffer()
        KafkaMessageCodec.encodeRequest(MetadataRequest(), version: 12, correlationId: 1, clientId: "abc", into: &stream)
        stream.moveReaderIndex(forwardBy: 4)
        let truncated = stream.getSlice(at: stream.readerIndex, length: 10)!
        #expect {
            _ = try KafkaRequestFrame(frame: truncated)
        } throws: { error in
            let error = error as? ProtocolDecodingError
            return error?.apiKey == .metadata && error?.apiVersion == 12
        }
    }
}
