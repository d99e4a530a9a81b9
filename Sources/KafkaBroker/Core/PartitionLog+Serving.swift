import KafkaStorage

extension PartitionLog {
    /// Throws for a partition whose write or fsync failed: it serves nothing until restart, as
    /// Kafka takes its log folder offline. What it holds may not match the disk, and a consumer
    /// must not see records that recovery may later take back.
    func checkServable() throws(StorageError) {
        if let failure {
            throw StorageError(.logFailed, "an earlier write or fsync failed: \(failure.detail)", path: failure.path)
        }
    }
}
