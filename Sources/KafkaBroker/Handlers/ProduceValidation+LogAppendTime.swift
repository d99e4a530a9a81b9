import KafkaRecords
import NIOCore

extension ProduceValidation {
    /// Positions in a magic 2 batch (Kafka's DefaultRecordBatch): the CRC-32C covers everything
    /// from the attributes on, so stamping a batch means recomputing it.
    private enum Layout {
        static let logOverhead = 12
        static let batchLength = 8
        static let crc = 17
        static let attributes = 21
        static let maxTimestamp = 35
        static let logAppendTimeBit: Int16 = 1 << 3
    }

    /// `batches` stamped with the broker's clock, as Kafka stamps them for a topic whose
    /// `message.timestamp.type` is LogAppendTime: the timestamp-type bit of the attributes is set
    /// and the max timestamp becomes `appendTimeMs`, which readers then give every record of the
    /// batch. Compressed records are left as they are, so nothing is re-encoded.
    static func stampingLogAppendTime(_ appendTimeMs: Int64, on batches: ByteBuffer) -> ByteBuffer {
        var stamped = batches
        var start = stamped.readerIndex
        while let batchLength = stamped.getInteger(at: start + Layout.batchLength, as: Int32.self),
            let attributes = stamped.getInteger(at: start + Layout.attributes, as: Int16.self)
        {
            stamped.setInteger(attributes | Layout.logAppendTimeBit, at: start + Layout.attributes)
            stamped.setInteger(appendTimeMs, at: start + Layout.maxTimestamp)
            let checkedLength = Layout.logOverhead + Int(batchLength) - Layout.attributes
            if let checked = stamped.getSlice(at: start + Layout.attributes, length: checkedLength) {
                stamped.setInteger(CRC32C.checksum(checked), at: start + Layout.crc)
            }
            start += Layout.logOverhead + Int(batchLength)
        }
        return stamped
    }
}
