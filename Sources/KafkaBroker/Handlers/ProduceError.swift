import KafkaProtocol
import KafkaRecords
import KafkaStorage

/// A partition's produce failure, as the error code and message the client gets.
struct ProduceError: Error {
    var code: ErrorCode
    var message: String?

    init(_ code: ErrorCode, _ message: String?) {
        self.code = code
        self.message = message
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
