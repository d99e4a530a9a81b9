import Foundation
import KafkaProtocol
import NIOCore
import SamsaTestSupport
import Testing

/// Frames captured from real clients talking to a real Kafka-compatible broker
/// (GoldenFrames/README.md says how): each decodes with the generated code and re-encodes to the
/// same bytes.
@Suite("Golden frames from real clients", .tags(.pure))
struct GoldenFrameTests {
    struct GoldenFrame: Sendable, CustomTestStringConvertible {
        var file: String
        var apiKey: Int16
        var apiVersion: Int16
        var isRequest: Bool
        var testDescription: String { file }

        var bytes: ByteBuffer {
            get throws { ByteBuffer(bytes: try Data(contentsOf: GoldenFrameTests.folder.appendingPathComponent(file))) }
        }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("GoldenFrames")

    static let frames: [GoldenFrame] = {
        guard let manifest = try? String(contentsOf: folder.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8) else { return [] }
        return manifest.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t").map(String.init)
            guard columns.count >= 4, let key = Int16(columns[1]), let version = Int16(columns[2]) else { return nil }
            return GoldenFrame(file: columns[0], apiKey: key, apiVersion: version, isRequest: columns[3] == "request")
        }
    }()

    /// Frames of APIs the specs define (librdkafka also sends GetTelemetrySubscriptions, which they do not).
    static let decodableFrames = frames.filter { generatedMessageTypes[$0.apiKey] != nil }

    @Test func theRequiredCapturesArePresent() {
        let names = Set(Self.frames.map(\.file))
        for required in [
            "api_versions_request_v0_kafka_python_2_0_2.bin", "api_versions_request_v3_confluent_kafka_2_16_1.bin",
            "api_versions_request_v4_kafka_python_3_0_12.bin", "metadata_request_v0_kafka_python_2_0_2.bin",
            "metadata_request_v1_kafka_python_2_0_2.bin", "metadata_request_v12_kafka_python_3_0_12.bin",
            "produce_request_v7_kafka_python_2_0_2.bin", "produce_request_v9_kafka_python_3_0_12.bin",
            "fetch_request_v4_kafka_python_2_0_2.bin", "fetch_request_v11_aiokafka_0_14_0.bin",
            "fetch_request_v12_kafka_python_3_0_12.bin", "join_group_request_v7_kafka_python_3_0_12.bin",
            "sync_group_request_v5_kafka_python_3_0_12.bin", "offset_commit_request_v8_kafka_python_3_0_12.bin",
            "offset_fetch_request_v8_kafka_python_3_0_12.bin",
        ] {
            #expect(names.contains(required), "\(required) missing")
            #expect(names.contains(required.replacingOccurrences(of: "_request_", with: "_response_")))
        }
        #expect(Self.decodableFrames.count > 100)
    }

    @Test("decodes and re-encodes to the same bytes", arguments: decodableFrames)
    func roundTrip(frame: GoldenFrame) throws {
        let bytes = try frame.bytes
        let types = try #require(generatedMessageTypes[frame.apiKey])
        let apiKey = ApiKey(rawValue: frame.apiKey)
        var reencoded = ByteBuffer()
        if frame.isRequest {
            let request = try KafkaRequestFrame(frame: bytes)
            #expect(request.apiKey == apiKey)
            #expect(request.apiVersion == frame.apiVersion)
            request.header.encode(into: &reencoded, version: apiKey.requestHeaderVersion(for: frame.apiVersion))
            let consumed = try Self.reencodeBody(types.request, body: request.body, version: frame.apiVersion, into: &reencoded)
            if frame.file == "metadata_request_v12_confluent_kafka_2_16_1.bin" {
                // librdkafka 2.16 sends three bytes that no version of the spec defines after this body;
                // Kafka ignores them and so does KafkaRequestFrame.decodeBody.
                #expect(request.body.readableBytes - consumed == 3)
                reencoded.writeImmutableBuffer(request.body.getSlice(at: request.body.readerIndex + consumed, length: 3)!)
            } else {
                #expect(consumed == request.body.readableBytes)
            }
        } else {
            var buffer = bytes
            let headerVersion = apiKey.responseHeaderVersion(for: frame.apiVersion)
            let header = try ResponseHeader(from: &buffer, version: headerVersion)
            header.encode(into: &reencoded, version: headerVersion)
            let consumed = try Self.reencodeBody(types.response, body: buffer, version: frame.apiVersion, into: &reencoded)
            #expect(consumed == buffer.readableBytes)
        }
        #expect(reencoded == bytes)
    }

    @Test("a golden frame cut at every byte throws, never traps", arguments: decodableFrames.filter(\.isRequest))
    func truncatedGoldenFrames(frame: GoldenFrame) throws {
        let bytes = try frame.bytes
        let types = try #require(generatedMessageTypes[frame.apiKey])
        var sink = ByteBuffer()
        let request = try KafkaRequestFrame(frame: bytes)
        let messageLength =
            bytes.readableBytes - request.body.readableBytes
            + (try Self.reencodeBody(types.request, body: request.body, version: frame.apiVersion, into: &sink))
        for length in 0..<messageLength {
            let cut = bytes.getSlice(at: bytes.readerIndex, length: length)!
            #expect(throws: ProtocolDecodingError.self) {
                let request = try KafkaRequestFrame(frame: cut)
                var sink = ByteBuffer()
                try Self.reencodeBody(types.request, body: request.body, version: frame.apiVersion, into: &sink)
            }
        }
    }

    /// Decodes the body and appends its re-encoding; returns how many body bytes the message took.
    @discardableResult
    private static func reencodeBody<Message: KafkaApiMessage>(
        _ type: Message.Type, body: ByteBuffer, version: Int16, into buffer: inout ByteBuffer
    ) throws -> Int {
        var remaining = body
        let message = try Message(from: &remaining, version: version)
        message.encode(into: &buffer, version: version)
        return body.readableBytes - remaining.readableBytes
    }
}
