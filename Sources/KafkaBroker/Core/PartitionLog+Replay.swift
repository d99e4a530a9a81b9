import KafkaRecords
import KafkaStorage

extension PartitionLog {
    /// Calls `body` with every stored batch from the log start offset to the end, in order: how
    /// the internal topics (`__consumer_offsets`, `__transaction_state`) are replayed at start-up.
    func forEachStoredBatch(_ body: (RecordBatch) throws -> Void) throws {
        var offset = logStartOffset
        while offset < logEndOffset {
            let read = try read(from: offset, maxBytes: 1 << 20, minOneBatch: true)
            var view = RecordBatchView(read.records)
            var progressed = false
            while let entry = try view.next() {
                guard case .batch(let batch) = entry else { continue }
                progressed = true
                offset = batch.header.nextOffset
                try body(batch)
            }
            if !progressed { break }
        }
    }
}
