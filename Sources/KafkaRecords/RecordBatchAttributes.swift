/// The 16-bit attributes of a RecordBatch v2: codec in bits 0-2, timestamp type in bit 3,
/// transactional in bit 4, control in bit 5. Unknown bits are kept.
public struct RecordBatchAttributes: Hashable, Sendable {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public init(
        compression: CompressionCodec, timestampType: TimestampType = .createTime,
        isTransactional: Bool = false, isControl: Bool = false
    ) {
        var rawValue = Int16(compression.rawValue)
        if timestampType == .logAppendTime { rawValue |= Self.timestampTypeBit }
        if isTransactional { rawValue |= Self.transactionalBit }
        if isControl { rawValue |= Self.controlBit }
        self.rawValue = rawValue
    }

    private static let timestampTypeBit: Int16 = 1 << 3
    private static let transactionalBit: Int16 = 1 << 4
    private static let controlBit: Int16 = 1 << 5

    public var compression: CompressionCodec {
        CompressionCodec(rawValue: UInt8(truncatingIfNeeded: rawValue))
    }

    public var timestampType: TimestampType {
        rawValue & Self.timestampTypeBit != 0 ? .logAppendTime : .createTime
    }

    public var isTransactional: Bool { rawValue & Self.transactionalBit != 0 }

    /// Control batches hold transaction markers, not user records; consumers skip them.
    public var isControl: Bool { rawValue & Self.controlBit != 0 }
}
