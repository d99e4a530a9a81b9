import CCompressZlib
import NIOCore

// Decompression drives zlib directly rather than through compress-nio's `decompress(with:)`,
// which returns whatever it inflated when the input ends mid-stream: a truncated stream must be
// an error here, and only zlib's Z_STREAM_END tells a finished stream from a cut one. Driving it
// also caps the output exactly at the limit and grows one buffer instead of concatenating several.
extension GzipRecordCompressor {
    /// How a run of zlib over the whole input ended.
    private enum InflateOutcome {
        case finished
        case truncated
        case limitExceeded
        case failed(code: Int32, message: String)
    }

    /// zlib's windowBits for "gzip wrapper, 32 KiB window".
    private static let gzipWindowBits: Int32 = 15 + 16

    /// Deflate never shrinks data more than about 1032:1.
    private static let maximumDeflateRatio = 1032

    func inflate(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let stream = Self.makeStream()
        defer {
            inflateEnd(stream)
            Self.release(stream)
        }
        guard CCompressZlib_inflateInit2(stream, Self.gzipWindowBits) == Z_OK else {
            throw RecordBatchError(.corruptMessage, "zlib could not start inflating")
        }
        // Room for one byte past the limit tells "exactly the limit" from "more than the limit";
        // a ByteBuffer holds at most UInt32.max bytes whatever the limit.
        let outputCapacityLimit = min(limit, Int(UInt32.max) - 1) + 1
        // The trailer's size field (the last 4 bytes) sizes the buffer so that one allocation
        // usually suffices; it is untrusted, so deflate's best ratio bounds it.
        let sizeInTrailer = compressed.getInteger(
            at: compressed.writerIndex - 4, endianness: .little, as: UInt32.self)
        let expectedSize = min(Int(sizeInTrailer ?? 0), Self.maximumDeflateRatio * compressed.readableBytes)
        var output = allocator.buffer(capacity: min(outputCapacityLimit, expectedSize + 1))
        var result = Z_OK
        let outcome = compressed.withUnsafeReadableBytes { input -> InflateOutcome in
            let firstInputByte = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: firstInputByte)
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                let room = min(output.writableBytes, outputCapacityLimit - output.readableBytes)
                if room == 0 {
                    guard output.readableBytes < outputCapacityLimit else { return .limitExceeded }
                    output.reserveCapacity(min(outputCapacityLimit, max(2 * output.capacity, 1024)))
                    continue
                }
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { free in
                    stream.pointee.next_out = free.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = UInt32(room)
                    result = CCompressZlib.inflate(stream, Z_NO_FLUSH)
                    return room - Int(stream.pointee.avail_out)
                }
                switch result {
                case Z_OK:
                    continue
                case Z_STREAM_END where stream.pointee.avail_in == 0:
                    return .finished
                case Z_STREAM_END:
                    // Concatenated gzip members decode as one stream, as in Java's
                    // GZIPInputStream and Python's gzip module.
                    inflateReset(stream)
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    return .truncated
                case Z_BUF_ERROR:
                    continue  // out of output room: the top of the loop grows the buffer or stops
                default:
                    return .failed(code: result, message: stream.pointee.msg.map { String(cString: $0) } ?? "")
                }
            }
        }
        switch outcome {
        case .finished where output.readableBytes <= limit:
            return output
        case .finished, .limitExceeded:
            throw RecordBatchError(.decompressionLimitExceeded, "gzip data decompresses to more than \(limit) bytes")
        case .truncated:
            throw RecordBatchError(.corruptMessage, "gzip stream of \(compressed.readableBytes) bytes ends early")
        case .failed(let code, let message):
            throw RecordBatchError(.corruptMessage, "gzip data does not decompress (zlib \(code)): \(message)")
        }
    }
}
