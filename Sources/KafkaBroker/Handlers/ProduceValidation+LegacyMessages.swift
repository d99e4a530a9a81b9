import KafkaProtocol
import KafkaRecords
import NIOCore

// Produce v0-2: Kafka's clients of that age send magic 0/1 messages. Samsa's logs hold record
// batches v2 only, so the messages become one batch, as Kafka up-converts them for a log in the v2
// format: records keep their keys, values and (magic 1) timestamps, and the batch uses the codec the
// messages came in unless `compression.type` names another.
extension ProduceValidation {
    static func upConvert(
        _ messages: [LegacyMessage], maxMessageBytes: Int, compressingWith brokerCodec: CompressionCodec?
    ) throws(ProduceError) -> ByteBuffer {
        let sourceCodec = messages.last { $0.compression != .none }?.compression ?? .none
        var builder = RecordBatchBuilder(compression: brokerCodec ?? sourceCodec)
        do {
            for message in messages {
                for record in try message.decodedRecords() {
                    builder.append(timestamp: record.timestamp, key: record.key, value: record.value)
                }
            }
            let batch = try builder.build()
            guard batch.readableBytes <= maxMessageBytes else {
                throw ProduceError(
                    .messageTooLarge,
                    "The request included a message larger than the max message size the server will accept (\(batch.readableBytes) > \(maxMessageBytes) bytes)."
                )
            }
            return batch
        } catch let error as ProduceError {
            throw error
        } catch let error as RecordBatchError {
            throw ProduceError(recordBatchError: error)
        } catch {
            throw ProduceError(.corruptMessage, "\(error)")
        }
    }
}
