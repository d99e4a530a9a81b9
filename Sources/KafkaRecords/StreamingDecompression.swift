import NIOCore

/// The output-bounded loop shared by the frame-based codecs (lz4, zstd): their C libraries decode
/// in steps that each consume some input and produce some output, so the loop can stop exactly at
/// the caller's limit instead of trusting a size written in the (untrusted) frame header.
struct StreamingDecompression {
    /// What one call of the library's streaming function did.
    enum Step {
        /// `frameComplete` is the library saying that a frame ended and all its output was given.
        case advanced(consumed: Int, produced: Int, frameComplete: Bool)
        case failed(String)
    }

    private enum Outcome {
        case finished
        case truncated
        case limitExceeded
        case failed(String)
    }

    /// The codec's name for error messages.
    let codecName: String

    /// Runs `step` over all of `compressed` (one frame or several concatenated, as Kafka's readers
    /// accept) and returns everything it produced. `expectedSize` only sizes the first allocation.
    func run(
        _ compressed: ByteBuffer, limit: Int, expectedSize: Int, allocator: ByteBufferAllocator,
        step: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) -> Step
    ) throws(RecordBatchError) -> ByteBuffer {
        // Room for one byte past the limit tells "exactly the limit" from "more than the limit";
        // a ByteBuffer holds at most UInt32.max bytes whatever the limit.
        let outputCapacityLimit = min(limit, Int(UInt32.max) - 1) + 1
        var output = allocator.buffer(capacity: min(outputCapacityLimit, max(expectedSize, 64) + 1))
        let outcome = compressed.withUnsafeReadableBytes { input -> Outcome in
            var position = 0
            var frameComplete = false
            while true {
                if frameComplete && position == input.count { return .finished }
                let room = min(output.writableBytes, outputCapacityLimit - output.readableBytes)
                if room == 0 {
                    guard output.readableBytes < outputCapacityLimit else { return .limitExceeded }
                    output.reserveCapacity(min(outputCapacityLimit, max(2 * output.capacity, 1024)))
                    continue
                }
                var result = Step.failed("not run")
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { free in
                    result = step(
                        UnsafeRawBufferPointer(rebasing: input[position...]),
                        UnsafeMutableRawBufferPointer(rebasing: free[..<room]))
                    guard case .advanced(_, let produced, _) = result else { return 0 }
                    return produced
                }
                switch result {
                case .failed(let message):
                    return .failed(message)
                case .advanced(let consumed, let produced, let complete):
                    position += consumed
                    frameComplete = complete
                    // With output room left, a step that neither reads nor writes wants input
                    // that is not there.
                    if !complete && consumed == 0 && produced == 0 {
                        return position == input.count ? .truncated : .failed("the decoder made no progress")
                    }
                }
            }
        }
        switch outcome {
        case .finished where output.readableBytes <= limit:
            return output
        case .finished, .limitExceeded:
            throw RecordBatchError(.decompressionLimitExceeded, "\(codecName) data decompresses to more than \(limit) bytes")
        case .truncated:
            throw RecordBatchError(.corruptMessage, "\(codecName) stream of \(compressed.readableBytes) bytes ends early")
        case .failed(let message):
            throw RecordBatchError(.corruptMessage, "\(codecName) data does not decompress: \(message)")
        }
    }
}
