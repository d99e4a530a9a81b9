// Byte positions of the header fields, from the start of the batch (kafka-python's HEADER_STRUCT,
// Kafka's DefaultRecordBatch constants).
extension RecordBatchHeader {
    /// The header's size: records (or the compressed records) start here.
    public static let size = 61
    /// baseOffset and batchLength, which every log entry (v0, v1 or v2) starts with.
    static let logOverhead = 12

    static let baseOffsetIndex = 0
    static let batchLengthIndex = 8
    static let partitionLeaderEpochIndex = 12
    /// Where every message format keeps its magic byte, so a reader can tell them apart.
    static let magicIndex = 16
    static let crcIndex = 17
    /// The CRC covers everything from here on.
    static let attributesIndex = 21
    static let lastOffsetDeltaIndex = 23
    static let baseTimestampIndex = 27
    static let maxTimestampIndex = 35
    static let producerIdIndex = 43
    static let producerEpochIndex = 51
    static let baseSequenceIndex = 53
    static let recordCountIndex = 57
}
