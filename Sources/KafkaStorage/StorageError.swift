/// Why a storage operation failed. At the broker's handler boundary the codes become Kafka error
/// codes: `offsetOutOfRange` → OFFSET_OUT_OF_RANGE (1), `corruptLog` → CORRUPT_MESSAGE (2),
/// `recordBatchTooLarge` → RECORD_LIST_TOO_LARGE (18), `outOfOrderSequence` →
/// OUT_OF_ORDER_SEQUENCE_NUMBER (45), `invalidProducerEpoch` → INVALID_PRODUCER_EPOCH (47),
/// `invalidRecordBatch` → INVALID_RECORD (87), and the I/O codes → KAFKA_STORAGE_ERROR (56).
public struct StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case offsetOutOfRange, corruptLog, ioError, noSpace, notFound, alreadyExists
            case outOfOrderSequence, invalidProducerEpoch, invalidRecordBatch, recordBatchTooLarge
            case logFailed, logClosed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A read asked for an offset below the log start offset or above the log end offset.
        public static let offsetOutOfRange = Code(.offsetOutOfRange)
        /// Stored bytes do not parse as the batches that were written (a torn write, bit rot).
        public static let corruptLog = Code(.corruptLog)
        /// A system call failed for a reason other than those below.
        public static let ioError = Code(.ioError)
        /// The device is full (ENOSPC, EDQUOT).
        public static let noSpace = Code(.noSpace)
        /// A file or folder that was expected is not there.
        public static let notFound = Code(.notFound)
        /// A file that was to be created exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// An idempotent producer's batch does not follow its previous one.
        public static let outOfOrderSequence = Code(.outOfOrderSequence)
        /// An idempotent producer wrote with an epoch older than one already seen (it was fenced).
        public static let invalidProducerEpoch = Code(.invalidProducerEpoch)
        /// The bytes handed to `append` are not RecordBatch v2 batches.
        public static let invalidRecordBatch = Code(.invalidRecordBatch)
        /// One batch is larger than a whole segment may be.
        public static let recordBatchTooLarge = Code(.recordBatchTooLarge)
        /// An earlier write or fsync failed, so the log no longer knows what is durable; it takes
        /// no writes until it is reloaded (Kafka takes the log directory offline).
        public static let logFailed = Code(.logFailed)
        /// The log was closed (shutdown, or its topic was deleted).
        public static let logClosed = Code(.logClosed)

        public var description: String { "\(base)" }
    }

    public var code: Code
    /// What exactly happened, for logs.
    public var detail: String
    /// The file concerned, when there is one.
    public var path: String?
    /// The errno of the failed system call, when there is one.
    public var errno: Int32?

    public init(_ code: Code, _ detail: String, path: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.detail = detail
        self.path = path
        self.errno = errno
    }

    public var description: String {
        var text = "Storage error (\(code)): \(detail)"
        if let path { text += " [\(path)]" }
        if let errno { text += " (errno \(errno))" }
        return text
    }
}
