import NIOCore

/// snappy (codec 2) through libsnappy, loaded at run time (Debian's libsnappy1v5); without the
/// library every call throws `.unsupportedCompression`. Kafka's Java producer and kafka-python write xerial's
/// framing (a 16-byte header, then blocks of a big-endian length and raw snappy data); librdkafka
/// writes one raw snappy block. Both are read, told apart by the header as Java's
/// `SnappyInputStream` does; the xerial form is written, which every Kafka reader understands.
public struct SnappyRecordCompressor: RecordCompressor {
    private let library: Result<SnappyLibrary, UnavailableCodec>

    public init() {
        self.init(library: SnappyLibrary.shared)
    }

    init(library: Result<SnappyLibrary, UnavailableCodec>) {
        self.library = library
    }

    public var codec: CompressionCodec { .snappy }

    /// `0x82 "SNAPPY" 0x00`, then version 1 and minimum compatible version 1 as big-endian int32s.
    /// Readers check only the magic: some writers get the two versions' byte order wrong.
    private static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    private static let xerialHeaderSize = 16
    private static let xerialVersion: Int32 = 1

    /// xerial's default block size, so blocks look like the ones Java writes.
    private static let xerialBlockSize = 32 * 1024

    public func compress(
        _ uncompressed: ByteBuffer, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let snappy = try library.loaded()
        let blockCount = (uncompressed.readableBytes + Self.xerialBlockSize - 1) / Self.xerialBlockSize
        var output = allocator.buffer(
            capacity: Self.xerialHeaderSize + blockCount * (4 + snappy.maxCompressedLength(Self.xerialBlockSize)))
        output.writeBytes(Self.xerialMagic)
        output.writeInteger(Self.xerialVersion)
        output.writeInteger(Self.xerialVersion)
        var input = uncompressed
        while input.readableBytes > 0 {
            let block = input.readSlice(length: min(Self.xerialBlockSize, input.readableBytes))!
            let lengthIndex = output.writerIndex
            output.writeInteger(Int32(0))
            let written = try Self.writeRawBlock(block, to: &output, with: snappy)
            output.setInteger(Int32(written), at: lengthIndex)
        }
        return output
    }

    public func decompress(
        _ compressed: ByteBuffer, limit: Int, allocator: ByteBufferAllocator
    ) throws(RecordBatchError) -> ByteBuffer {
        let snappy = try library.loaded()
        guard compressed.getBytes(at: compressed.readerIndex, length: Self.xerialMagic.count) == Self.xerialMagic else {
            var output = allocator.buffer(capacity: 0)
            try Self.readRawBlock(compressed, into: &output, limit: limit, with: snappy)
            return output
        }
        guard compressed.readableBytes >= Self.xerialHeaderSize else {
            throw RecordBatchError(.corruptMessage, "snappy: the xerial header of \(compressed.readableBytes) bytes is cut short")
        }
        var input = compressed
        input.moveReaderIndex(forwardBy: Self.xerialHeaderSize)
        var output = allocator.buffer(capacity: 0)
        while input.readableBytes > 0 {
            guard let length = input.readInteger(as: Int32.self), length >= 0,
                let block = input.readSlice(length: Int(length))
            else {
                throw RecordBatchError(.corruptMessage, "snappy: a xerial block's length runs past the end of the data")
            }
            try Self.readRawBlock(block, into: &output, limit: limit, with: snappy)
        }
        return output
    }

    /// Appends `block` compressed as raw snappy and returns how many bytes that took.
    private static func writeRawBlock(
        _ block: ByteBuffer, to output: inout ByteBuffer, with snappy: SnappyLibrary
    ) throws(RecordBatchError) -> Int {
        let bound = snappy.maxCompressedLength(block.readableBytes)
        var status = SnappyLibrary.ok
        let written = block.withUnsafeReadableBytes { input in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { free in
                var length = bound
                status = snappy.compress(input.baseAddress, input.count, free.baseAddress, &length)
                return status == SnappyLibrary.ok ? length : 0
            }
        }
        guard status == SnappyLibrary.ok else {
            throw RecordBatchError(.invalidRecord, "snappy compression failed (status \(status))")
        }
        return written
    }

    /// Appends the raw snappy `block` decompressed, refusing when `output` would exceed `limit`.
    /// The size comes from the block's preamble; libsnappy checks that the data matches it.
    private static func readRawBlock(
        _ block: ByteBuffer, into output: inout ByteBuffer, limit: Int, with snappy: SnappyLibrary
    ) throws(RecordBatchError) {
        var size = 0
        let sizeStatus = block.withUnsafeReadableBytes { input in
            snappy.uncompressedLength(input.baseAddress, input.count, &size)
        }
        guard sizeStatus == SnappyLibrary.ok else {
            throw RecordBatchError(.corruptMessage, "snappy: a block does not start with a valid length")
        }
        guard size <= limit - output.readableBytes else {
            throw RecordBatchError(.decompressionLimitExceeded, "snappy data decompresses to more than \(limit) bytes")
        }
        var status = SnappyLibrary.ok
        _ = block.withUnsafeReadableBytes { input in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { free in
                var length = size
                status = snappy.uncompress(input.baseAddress, input.count, free.baseAddress, &length)
                return status == SnappyLibrary.ok ? length : 0
            }
        }
        guard status == SnappyLibrary.ok else {
            throw RecordBatchError(.corruptMessage, "snappy data does not decompress (status \(status))")
        }
    }
}
