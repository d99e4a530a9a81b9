import Foundation
import KafkaProtocol
import KafkaRecords
import NIOCore

/// The frames captured from real clients (`Tests/KafkaProtocolTests/GoldenFrames`), the seed of
/// every fuzz target's corpus.
public struct GoldenFrames {
    public struct Frame {
        public var name: String
        public var apiKey: Int16
        public var apiVersion: Int16
        public var isRequest: Bool
        /// The frame without its size prefix, as captured.
        public var payload: ByteBuffer
    }

    public let frames: [Frame]

    /// Reads the frames listed in the folder's MANIFEST.tsv.
    public init(folder: String) throws {
        let manifest = try String(contentsOfFile: folder + "/MANIFEST.tsv", encoding: .utf8)
        frames = try manifest.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t").map(String.init)
            guard columns.count >= 4, let key = Int16(columns[1]), let version = Int16(columns[2]) else { return nil }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + columns[0]))
            return Frame(
                name: columns[0], apiKey: key, apiVersion: version, isRequest: columns[3] == "request", payload: ByteBuffer(bytes: bytes))
        }
    }

    /// Every request frame with its 4-byte size prefix, as a broker reads it off the socket.
    public var sizePrefixedRequests: [(name: String, bytes: [UInt8])] {
        frames.filter(\.isRequest).map { frame in
            (
                frame.name,
                withUnsafeBytes(of: Int32(frame.payload.readableBytes).bigEndian, Array.init) + Array(frame.payload.readableBytesView)
            )
        }
    }

    /// The record sets of every captured Produce request and Fetch response, compressed or not.
    public var recordSets: [(name: String, bytes: [UInt8])] {
        var sets: [(name: String, bytes: [UInt8])] = []
        for frame in frames where frame.apiKey == ApiKey.produce.rawValue || frame.apiKey == ApiKey.fetch.rawValue {
            var records: [ByteBuffer?] = []
            if frame.isRequest, let request = try? KafkaRequestFrame(frame: frame.payload),
                let produce = try? request.decodeBody(ProduceRequest.self)
            {
                records = produce.topicData.flatMap { $0.partitionData.map(\.records) }
            } else if !frame.isRequest,
                let (_, fetch) = try? KafkaMessageCodec.decodeResponse(FetchResponse.self, frame: frame.payload, version: frame.apiVersion)
            {
                records = fetch.responses.flatMap { $0.partitions.map(\.records) }
            }
            for (index, set) in records.enumerated() {
                guard let set, set.readableBytes > 0 else { continue }
                sets.append(("\(frame.name)-\(index)", Array(set.readableBytesView)))
            }
        }
        return sets
    }

    /// One segment file holding every v2 batch of the captured record sets, with consecutive
    /// offsets, as the broker would have stored them.
    public var segment: [UInt8] {
        var segment = ByteBuffer()
        var nextOffset: Int64 = 0
        for (_, bytes) in recordSets {
            var view = RecordBatchView(ByteBuffer(bytes: bytes), verifyingChecksums: true)
            while case .batch(var batch)? = try? view.next() {
                batch.setBaseOffset(nextOffset)
                nextOffset += Int64(batch.header.lastOffsetDelta) + 1
                segment.writeImmutableBuffer(batch.bytes)
            }
        }
        return Array(segment.readableBytesView)
    }
}
