import KafkaProtocol
import KafkaRecords
import NIOCore

/// Turns the `records` of one partition in a Fetch response into consumer records.
enum FetchedRecords {
    struct Decoded {
        var records: [KafkaConsumerRecord]
        /// The offset after the last complete batch, even when it held nothing to return (control
        /// batches, records below the fetch offset): the position may move there.
        var nextOffset: Int64?
        /// The first record that could not be deserialized; `records` holds those before it.
        var undeserializable: KafkaError?
    }

    /// Records at or after `fetchOffset`, deserialized; a truncated last batch is left for the
    /// next fetch, and control batches (transaction markers) are skipped.
    ///
    /// `abortedTransactions` is the response's list for a read_committed fetch: the batches of each
    /// listed producer from the transaction's first offset up to its ABORT marker are dropped, as
    /// Kafka's consumer drops them (the broker returns them, since it does not filter batches).
    static func decode(
        _ messageSet: ByteBuffer?, topicPartition: TopicPartition, fetchOffset: Int64, verifyingChecksums: Bool,
        keyDeserializer: KafkaDeserializer, valueDeserializer: KafkaDeserializer,
        abortedTransactions: [FetchResponse.AbortedTransaction] = []
    ) throws(KafkaError) -> Decoded {
        var decoded = Decoded(records: [], nextOffset: nil)
        guard let messageSet else { return decoded }
        var view = RecordBatchView(messageSet, verifyingChecksums: verifyingChecksums)
        var pendingAborted = abortedTransactions.sorted { $0.firstOffset < $1.firstOffset }[...]
        var abortedProducers: Set<Int64> = []
        while true {
            let records: [DecodedRecord]
            do throws(RecordBatchError) {
                guard let entry = try view.next() else { return decoded }
                switch entry {
                case .batch(let batch):
                    decoded.nextOffset = batch.header.nextOffset
                    while let first = pendingAborted.first, first.firstOffset <= batch.header.lastOffset {
                        abortedProducers.insert(first.producerId)
                        pendingAborted.removeFirst()
                    }
                    if batch.header.attributes.isControl {
                        let markers = try batch.decodedRecords().map { (record) throws(RecordBatchError) in
                            try ControlRecord(key: record.key, value: record.value)
                        }
                        if markers.contains(where: { $0.type == .abort }) { abortedProducers.remove(batch.header.producerId) }
                        continue
                    }
                    if batch.header.nextOffset <= fetchOffset { continue }
                    if batch.header.attributes.isTransactional && abortedProducers.contains(batch.header.producerId) { continue }
                    records = try batch.decodedRecords()
                case .legacyMessage(let message):
                    records = try message.decodedRecords()
                    if let last = records.last { decoded.nextOffset = last.offset + 1 }
                case .incomplete:
                    return decoded
                }
            } catch {
                guard error.code != .unsupportedCompression else {
                    throw KafkaError(
                        .protocolViolation,
                        "records from \(topicPartition) after offset \(fetchOffset) cannot be decompressed here: \(error.detail)",
                        errorCode: .unsupportedCompressionType, underlying: error)
                }
                throw KafkaError(
                    .protocolViolation, "corrupt records from \(topicPartition) after offset \(fetchOffset)", errorCode: .corruptMessage,
                    underlying: error)
            }
            for record in records where record.offset >= fetchOffset {
                do {
                    decoded.records.append(
                        try consumerRecord(
                            record, topicPartition: topicPartition, keyDeserializer: keyDeserializer,
                            valueDeserializer: valueDeserializer))
                } catch {
                    decoded.undeserializable = error
                    return decoded
                }
            }
        }
    }

    private static func consumerRecord(
        _ record: DecodedRecord, topicPartition: TopicPartition, keyDeserializer: KafkaDeserializer, valueDeserializer: KafkaDeserializer
    ) throws(KafkaError) -> KafkaConsumerRecord {
        func deserialize(_ bytes: ByteBuffer?, with deserializer: KafkaDeserializer, part: String) throws(KafkaError) -> (any Sendable)? {
            guard let bytes else { return nil }
            do {
                return try deserializer.deserialize(bytes)
            } catch {
                var located = error
                located.message =
                    "the \(part) of the record at offset \(record.offset) of \(topicPartition) cannot be deserialized "
                    + "(\(error.message)); seek to offset \(record.offset + 1) to skip it"
                located.topicPartition = topicPartition
                located.offset = record.offset
                throw located
            }
        }
        return KafkaConsumerRecord(
            topic: topicPartition.topic, partition: topicPartition.partition, offset: record.offset, timestamp: record.timestamp,
            timestampType: record.timestampType == .logAppendTime ? .logAppendTime : .createTime,
            key: try deserialize(record.key, with: keyDeserializer, part: "key"),
            value: try deserialize(record.value, with: valueDeserializer, part: "value"),
            headers: record.headers.map { KafkaHeader(key: $0.key, value: $0.value) },
            serializedKeySize: record.key?.readableBytes ?? -1, serializedValueSize: record.value?.readableBytes ?? -1)
    }
}
