import CCompressZlib
import NIOCore

// Compression drives zlib directly, like decompression, to size zlib's state to the input. With its
// defaults (a 32 KiB window, memLevel 8) `deflateInit2` allocates and clears about 270 KiB per
// stream; a producer that sends one small batch at a time (flush after each send) spent most of
// its time there, in page faults and in glibc giving that memory back. A window that spans the
// whole input finds every match the default window would, so small batches compress just as well.
extension GzipRecordCompressor {
    /// zlib's smallest and largest deflate windows (2^9 and 2^15 bytes).
    private static let windowBitsRange: ClosedRange<Int32> = 9...15
    /// zlib adds 16 to windowBits to ask for a gzip header and trailer instead of zlib's.
    private static let gzipWrapper: Int32 = 16

    func deflate(_ uncompressed: ByteBuffer, allocator: ByteBufferAllocator) throws(RecordBatchError) -> ByteBuffer {
        let inputSize = uncompressed.readableBytes
        let windowBits = Self.windowBits(forInputSize: inputSize)
        // memLevel sizes the hash table and the literal buffer; zlib's default, 8, pairs with the
        // full window, and a smaller window gets a proportionally smaller one.
        let memoryLevel = max(1, windowBits - 7)
        let stream = Self.makeStream()
        defer {
            deflateEnd(stream)
            Self.release(stream)
        }
        guard
            CCompressZlib_deflateInit2(
                stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits + Self.gzipWrapper, memoryLevel, Z_DEFAULT_STRATEGY) == Z_OK
        else {
            throw RecordBatchError(.invalidRecord, "zlib could not start deflating")
        }
        // One deflate call finishes the stream, so the output must hold everything; deflateBound
        // counts the stream's gzip header and trailer (zlib before 1.2.5.1 counted a zlib wrapper's 6
        // bytes instead of gzip's 18, hence the 12 more).
        let bound = Int(deflateBound(stream, UInt(inputSize))) + 12
        var output = allocator.buffer(capacity: bound)
        var result = Z_OK
        uncompressed.withUnsafeReadableBytes { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(input.count)
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { free in
                stream.pointee.next_out = free.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(free.count)
                result = CCompressZlib.deflate(stream, Z_FINISH)
                return free.count - Int(stream.pointee.avail_out)
            }
        }
        guard result == Z_STREAM_END else {
            throw RecordBatchError(.invalidRecord, "gzip compression failed (zlib \(result))")
        }
        return output
    }

    /// zlib matches back at most the window size less its lookahead (MAX_MATCH + MIN_MATCH + 1).
    private static let lookahead = 262

    /// The smallest window whose matches reach back over the whole input, within zlib's limits.
    static func windowBits(forInputSize size: Int) -> Int32 {
        var bits = windowBitsRange.lowerBound
        while bits < windowBitsRange.upperBound, 1 << bits < size + lookahead { bits += 1 }
        return bits
    }

    /// A zeroed z_stream at an address that does not move: zlib's state points back at it.
    static func makeStream() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        return stream
    }

    /// Frees a stream from `makeStream` after zlib's own end call.
    static func release(_ stream: UnsafeMutablePointer<z_stream>) {
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
}
