import ArgumentParser
import KafkaClient
import KafkaProtocol

/// Exactly-once read-process-write with the Samsa SDK: copies every record of `--input` to
/// `--output` (as they are: `process` is where an application would transform them), each poll's
/// records in one transaction together with the input offsets they advance. Killed at any moment
/// and started again, it neither loses nor repeats a record for read_committed readers of the
/// output: a transaction commits records and offsets together or neither, and the restarted
/// copier, with the same `--transactional-id`, fences the old one and aborts its open transaction
/// before it resumes from the committed offsets.
///
///     swift run exactly-once --bootstrap-server localhost:9092 --input numbers --output copies
///
/// Kafka's Java and kafka-python programs have the same shape: a read_committed consumer without
/// auto-commit, a producer with a transactional id, `sendOffsetsToTransaction` before each commit.
@main
struct ExactlyOnce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exactly-once")

    @Option(help: "HOST:PORT of a broker") var bootstrapServer = "localhost:9092"
    @Option(help: "The topic to read") var input = "input"
    @Option(help: "The topic to write") var output = "output"
    @Option(help: "The consumer group whose committed offsets say where to resume") var group = "exactly-once"
    @Option(help: "The producer's transactional id: the same for every run of one copier") var transactionalId = "exactly-once-copier"
    @Option(help: "Records copied per transaction at most") var maxRecordsPerTransaction = 500
    @Option(help: "Stop after this long without a record (0: never)") var exitWhenIdleMs = 0
    @Flag(help: "Read every partition of the input without joining the group (one copier only; no rebalance wait on restart)")
    var assign = false

    func run() async throws {
        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: [bootstrapServer], groupId: group)
        // Offsets are committed by the transactions, never by the consumer itself.
        consumerConfiguration.enableAutoCommit = false
        // Records of aborted transactions upstream are never copied.
        consumerConfiguration.isolationLevel = .readCommitted
        consumerConfiguration.autoOffsetReset = .earliest
        consumerConfiguration.maxPollRecords = maxRecordsPerTransaction
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)

        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: [bootstrapServer])
        producerConfiguration.transactionalId = transactionalId
        let producer = try KafkaProducer(configuration: producerConfiguration)
        try await producer.initTransactions()

        if assign {
            let partitions = try await producer.partitionsFor(topic: input)
            try await consumer.assign(partitions.map { TopicPartition(topic: input, partition: $0) })
        } else {
            try await consumer.subscribe(topics: [input])
        }
        var copied = 0
        var idleSince = ContinuousClock.now
        while exitWhenIdleMs == 0 || ContinuousClock.now - idleSince < .milliseconds(exitWhenIdleMs) {
            let records = try await consumer.poll(timeoutMs: 200)
            guard !records.isEmpty else { continue }
            idleSince = ContinuousClock.now
            do {
                try await copyInOneTransaction(records, consumer: consumer, producer: producer)
                copied += records.count
            } catch  where error.errorCode == .producerFenced || error.errorCode == .invalidProducerEpoch {
                // A newer copier with the same transactional id runs: this one must stop.
                await producer.close()
                await consumer.close(autocommit: false)
                throw error
            } catch {
                // Nothing of the transaction is visible; read its records again.
                print("transaction aborted: \(error)")
                try await producer.abortTransaction()
                try await rewind(consumer, to: records)
            }
        }
        await producer.close()
        await consumer.close(autocommit: false)
        print("copied \(copied) records from \(input) to \(output)")
    }

    /// The output records and the input offsets after them, committed together.
    private func copyInOneTransaction(
        _ records: [KafkaConsumerRecord], consumer: KafkaConsumer, producer: KafkaProducer
    ) async throws(KafkaError) {
        try await producer.beginTransaction()
        var nextOffsets: [TopicPartition: OffsetAndMetadata] = [:]
        for record in records {
            _ = try await producer.enqueue(topic: output, key: record.key, value: process(record.value))
            nextOffsets[TopicPartition(topic: record.topic, partition: record.partition)] = OffsetAndMetadata(offset: record.offset + 1)
        }
        try await producer.sendOffsetsToTransaction(nextOffsets, consumerGroupMetadata: try await consumer.groupMetadata)
        try await producer.commitTransaction()
    }

    /// The record's new value; a real application transforms it here.
    private func process(_ value: (any Sendable)?) -> (any Sendable)? {
        value
    }

    /// Back to the first record of each partition in `records`, to copy them again.
    private func rewind(_ consumer: KafkaConsumer, to records: [KafkaConsumerRecord]) async throws(KafkaError) {
        var first: [TopicPartition: Int64] = [:]
        for record in records {
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            first[partition] = min(first[partition] ?? record.offset, record.offset)
        }
        for (partition, offset) in first { try await consumer.seek(partition, offset: offset) }
    }
}
