import NIOCore

/// An entry of a segment's aborted-transaction index, Kafka's `.txnindex` format: 34 bytes of
/// version (int16, 0), producer id, first offset, last offset (the abort marker's) and the last
/// stable offset once the abort was written. A read_committed consumer drops the batches of
/// `producerId` from `firstOffset` up to the marker.
public struct AbortedTransaction: IndexFileEntry {
    static let size = 34
    static let currentVersion: Int16 = 0

    public var producerId: Int64
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var lastStableOffset: Int64

    public init(producerId: Int64, firstOffset: Int64, lastOffset: Int64, lastStableOffset: Int64) {
        self.producerId = producerId
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.lastStableOffset = lastStableOffset
    }

    func write(to bytes: inout ByteBuffer) {
        bytes.writeInteger(Self.currentVersion)
        bytes.writeInteger(producerId)
        bytes.writeInteger(firstOffset)
        bytes.writeInteger(lastOffset)
        bytes.writeInteger(lastStableOffset)
    }
}
