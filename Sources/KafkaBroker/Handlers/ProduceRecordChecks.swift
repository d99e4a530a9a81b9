import KafkaProtocol
import KafkaRecords
import KafkaStorage

/// What Kafka's LogValidator checks in every record of a batch before it is appended. Each
/// failing record is reported as Kafka reports it: its index in the batch and a message (Produce
/// v8's `record_errors`), under one error code and message for the partition. Every record is
/// checked, so that a client learns of all the bad ones at once, as librdkafka counts them.
struct ProduceRecordChecks {
    /// `topic-partition`, as Kafka's messages name it.
    var topicPartition: String
    /// A compacted topic refuses records without a key: compaction could never remove them.
    var keyRequired: Bool
    /// The CreateTime timestamps allowed at the append; nil allows every one.
    var acceptedTimestamps: ClosedRange<Int64>?

    init(topicPartition: String, settings: TopicSettings, nowMs: Int64) {
        self.topicPartition = topicPartition
        keyRequired = settings.log.cleanupPolicy.contains(.compact)
        acceptedTimestamps = settings.acceptedTimestamps(at: nowMs)
    }

    /// Whether any check applies; when none does, the records are not even decoded.
    var checksAnything: Bool { keyRequired || acceptedTimestamps != nil }

    func check(_ batch: RecordBatch) throws(ProduceError) {
        guard checksAnything else { return }
        let records: [Record]
        do {
            records = try batch.records(codecs: ProduceValidation.codecs)
        } catch {
            throw ProduceError(recordBatchError: error)
        }
        var errors: [ProduceError.RecordError] = []
        var timestampRefused = false
        for (index, record) in records.enumerated() {
            if keyRequired && record.key == nil {
                errors.append(
                    .init(
                        batchIndex: Int32(index),
                        message: "Compacted topic cannot accept message without key in topic partition \(topicPartition)."))
                continue
            }
            let timestamp = record.timestamp(in: batch.header)
            // -1 is "no timestamp", which Kafka lets through whatever the bounds.
            if let accepted = acceptedTimestamps, timestamp != -1, !accepted.contains(timestamp) {
                timestampRefused = true
                errors.append(
                    .init(
                        batchIndex: Int32(index),
                        message:
                            "Timestamp \(timestamp) of message with offset \(record.offset(in: batch.header)) is out of range. The timestamp should be within [\(accepted.lowerBound), \(accepted.upperBound)]"
                    ))
            }
        }
        guard !errors.isEmpty else { return }
        if timestampRefused {
            throw ProduceError(.invalidTimestamp, "One or more records have been rejected due to invalid timestamp", recordErrors: errors)
        }
        let shown = errors.prefix(3).map(\.description).joined(separator: ", ")
        throw ProduceError(
            .invalidRecord,
            "One or more records have been rejected due to \(errors.count) record errors in total, and only showing the first three errors at most: [\(shown)]",
            recordErrors: errors)
    }
}
