import KafkaProtocol
import KafkaRecords
import KafkaStorage
import NIOCore

extension ProduceHandler {
    /// A transactional batch must come from the producer that owns an open transaction holding
    /// the partition (INVALID_TXN_STATE), at its current epoch (INVALID_PRODUCER_EPOCH): otherwise
    /// a fenced or confused producer would open a transaction the coordinator never ends.
    func checkTransaction(of records: ByteBuffer?, to partition: TopicPartition) throws(ProduceError) {
        guard let records, let bytes = records.getSlice(at: records.readerIndex, length: RecordBatchHeader.size),
            let header = try? RecordBatchHeader(parsing: bytes), header.attributes.isTransactional
        else { return }
        if let refusal = transactions.checkProduce(
            producerId: header.producerId, producerEpoch: header.producerEpoch, partition: partition)
        {
            throw ProduceError(refusal, "Producer \(header.producerId) has no open transaction with \(partition)")
        }
    }
}
