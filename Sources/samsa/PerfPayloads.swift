import Foundation
import KafkaClient
import NIOCore

/// Where perf-test payloads come from: `--record-size` random capital letters (new for every
/// record, as Kafka generates them), lines of `--payload-file` picked at random, or the record
/// number as text (`--payload-monotonic`).
struct PerfPayloads {
    private enum Source {
        case random(size: Int)
        case file([ByteBuffer])
        case monotonic
    }

    private let source: Source

    init(recordSize: Int?, payloadFile: String?, monotonic: Bool) throws(CommandFailure) {
        if let recordSize {
            source = .random(size: recordSize)
        } else if let payloadFile {
            guard let text = try? readTextFile(payloadFile), !text.isEmpty else {
                throw .standardError("File does not exist or empty file provided.")
            }
            let lines = text.split(separator: "\n").map { ByteBuffer(string: String($0)) }
            StandardStreams.out(
                "Reading payloads from: \(URL(fileURLWithPath: payloadFile).path)\nNumber of messages read: \(lines.count)\n")
            source = .file(lines)
        } else {
            source = .monotonic
        }
    }

    func next(index: Int, generator: inout SplitMix64) -> ByteBuffer {
        switch source {
        case .random(let size):
            var buffer = ByteBuffer()
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { bytes in
                var offset = 0
                while offset < size {
                    // Eight letters from each 64-bit draw keep generation well below the cost of sending.
                    var bits = generator.next()
                    for _ in 0..<min(8, size - offset) {
                        bytes[offset] = UInt8(65 + (bits & 0xFF) % 26)
                        bits >>= 8
                        offset += 1
                    }
                }
                return size
            }
            return buffer
        case .file(let lines):
            return lines[Int(generator.next() % UInt64(lines.count))]
        case .monotonic:
            return ByteBuffer(string: String(index))
        }
    }
}
