import KafkaProtocol
import KafkaRecords
import NIOCore

/// Checks the records of one partition of a Produce request before anything is appended.
enum ProduceValidation {
    /// Codecs the broker can read and write: every codec Kafka defines whose library this machine
    /// has. librdkafka sends lz4 and zstd without asking, once the broker's API versions imply a
    /// Kafka that has them; a codec whose library is missing gets UNSUPPORTED_COMPRESSION_TYPE.
    static let codecs = CompressionCodecRegistry.builtIn

    /// Returns the bytes to append: the batches as sent, or re-encoded with the broker's codec when
    /// `compression.type` names one (the one case where the broker re-encodes). Produce v0-2
    /// (`allowingLegacyMessages`) carries magic 0/1 messages instead, which are converted to one
    /// batch, as Kafka converts them to its log's format. Each record then passes `recordChecks`.
    static func validate(
        _ records: ByteBuffer, maxMessageBytes: Int, recompressingTo target: CompressionCodec?, allowingLegacyMessages: Bool,
        recordChecks: ProduceRecordChecks
    ) throws(ProduceError) -> ByteBuffer {
        var view = RecordBatchView(records)
        var batches: [RecordBatch] = []
        var legacyMessages: [LegacyMessage] = []
        do {
            while let entry = try view.next() {
                switch entry {
                case .batch(let batch):
                    let header = batch.header
                    guard header.totalSize <= maxMessageBytes else {
                        throw ProduceError(
                            .messageTooLarge,
                            "The request included a message larger than the max message size the server will accept (\(header.totalSize) > \(maxMessageBytes) bytes)."
                        )
                    }
                    guard codecs.supports(header.attributes.compression) else {
                        throw unsupported(header.attributes.compression)
                    }
                    guard header.recordCount > 0, header.lastOffsetDelta == header.recordCount - 1 else {
                        throw ProduceError(
                            .invalidRecord, "Batch has \(header.recordCount) records but last offset delta \(header.lastOffsetDelta).")
                    }
                    batches.append(batch)
                case .legacyMessage(let message) where allowingLegacyMessages:
                    guard codecs.supports(message.compression) else {
                        throw unsupported(message.compression)
                    }
                    legacyMessages.append(message)
                case .legacyMessage:
                    throw ProduceError(
                        .invalidRecord, "Produce requests with version 3 and later may only carry record batches with magic 2.")
                case .incomplete:
                    throw ProduceError(.corruptMessage, "The last record batch of the request is incomplete.")
                }
            }
        } catch let error as ProduceError {
            throw error
        } catch let error as RecordBatchError {
            throw ProduceError(recordBatchError: error)
        } catch {
            throw ProduceError(.corruptMessage, "\(error)")
        }
        if !legacyMessages.isEmpty {
            guard batches.isEmpty else {
                throw ProduceError(.invalidRecord, "The request mixes record batches with magic 2 and older messages.")
            }
            let converted = try upConvert(legacyMessages, maxMessageBytes: maxMessageBytes, compressingWith: target)
            let convertedBatch: RecordBatch
            do {
                convertedBatch = try RecordBatch(converted, verifyingChecksum: false)
            } catch {
                throw ProduceError(recordBatchError: error)
            }
            try recordChecks.check(convertedBatch)
            return converted
        }
        for batch in batches {
            try recordChecks.check(batch)
        }
        guard let target else { return records }
        var output = ByteBuffer()
        for batch in batches {
            output.writeImmutableBuffer(try recompress(batch, to: target))
        }
        return output
    }

    private static func unsupported(_ codec: CompressionCodec) -> ProduceError {
        let missingLibrary = codecs.unavailability(of: codec)?.libraryNames.joined(separator: " or ")
        let reason = missingLibrary.map { " (its library \($0) is not installed)" } ?? ""
        return ProduceError(.unsupportedCompressionType, "Compression codec \(codec) is not supported by this broker\(reason).")
    }

    private static func recompress(_ batch: RecordBatch, to codec: CompressionCodec) throws(ProduceError) -> ByteBuffer {
        if batch.header.attributes.compression == codec { return batch.bytes }
        do {
            let header = batch.header
            var builder = RecordBatchBuilder(
                compression: codec, baseOffset: 0, producerId: header.producerId, producerEpoch: header.producerEpoch,
                baseSequence: header.baseSequence)
            for record in try batch.records() {
                builder.append(timestamp: record.timestamp(in: header), key: record.key, value: record.value, headers: record.headers)
            }
            return try builder.build()
        } catch {
            throw ProduceError(recordBatchError: error)
        }
    }
}
