import KafkaProtocol
import KafkaRecords
import KafkaStorage

/// A partition's produce failure, as the error code and message the client gets, with the
/// records that caused it when the failure is a record's (Produce v8+ `record_errors`).
struct ProduceError: Error {
    /// One refused record: its index in its batch and why, as Kafka's `ProduceResponse.RecordError`.
    struct RecordError: Equatable, CustomStringConvertible {
        var batchIndex: Int32
        var message: String

        /// Kafka's `RecordError.toString`, which its partition-level message lists.
        var description: String { "RecordError(batchIndex=\(batchIndex), message='\(message)')" }
    }

    var code: ErrorCode
    var message: String?
    var recordErrors: [RecordError]

    init(_ code: ErrorCode, _ message: String?, recordErrors: [RecordError] = []) {
        self.code = code
        self.message = message
        self.recordErrors = recordErrors
    }

    init(recordBatchError error: RecordBatchError) {
        switch error.code {
        case .unsupportedCompression: self.init(.unsupportedCompressionType, error.description)
        case .invalidRecord: self.init(.invalidRecord, error.description)
        case .decompressionLimitExceeded: self.init(.messageTooLarge, error.description)
        default: self.init(.corruptMessage, error.description)
        }
    }

    init(storageError error: StorageError) {
        switch error.code {
        case .outOfOrderSequence: self.init(.outOfOrderSequenceNumber, error.detail)
        case .invalidProducerEpoch: self.init(.invalidProducerEpoch, error.detail)
        case .recordBatchTooLarge: self.init(.messageTooLarge, error.detail)
        case .invalidRecordBatch: self.init(.corruptMessage, error.detail)
        default: self.init(.kafkaStorageError, "Disk error when trying to access log file on the disk.")
        }
    }
}
