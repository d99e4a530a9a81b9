import KafkaProtocol
import KafkaRecords
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Sends records to Kafka, after kafka-python's `KafkaProducer`.
///
/// Records are serialized and appended to a per-partition batch in the caller's task; a background
/// sender sends ready batches and completes them. `send` waits for the record's acknowledgement;
/// `enqueue` returns as soon as the record is buffered, with a `FutureRecordMetadata` to wait on
/// later — the way to keep many records in flight from one task.
///
/// Use it standalone and `close()` it (which sends what is buffered), or run it in a
/// `ServiceGroup`, which closes it on graceful shutdown.
public final class KafkaProducer: Service, Sendable {
    private let configuration: KafkaProducerConfiguration
    private let cluster: KafkaCluster
    let state: NIOLockedValueBox<ProducerState>
    /// The transactional requests, for a producer with a `transactionalId`.
    let transactions: ProducerTransactions?
    private let wakeup: SenderWakeup
    private let sender: ProducerSender
    private let senderTask: Task<Void, Never>
    private let logger: Logger

    public init(
        configuration: KafkaProducerConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "samsa.kafka.producer")
    ) throws(KafkaError) {
        let clusterConfiguration = try configuration.clusterConfiguration()
        let compression = CompressionCodec(rawValue: configuration.compressionType.codecId)
        guard CompressionCodecRegistry.builtIn.supports(compression) else {
            let reason = CompressionCodecRegistry.builtIn.unavailability(of: compression).map { "\($0)" } ?? "no implementation"
            throw KafkaError(.invalidConfiguration, "compression_type \(configuration.compressionType) cannot be used: \(reason)")
        }
        var isIdempotent = configuration.enableIdempotence
        if configuration.transactionalId != nil && (!isIdempotent || configuration.acks != .all) {
            throw KafkaError.invalidConfiguration("transactional_id needs enable_idempotence and acks=all")
        }
        if isIdempotent && configuration.acks != .all {
            logger.warning("enable_idempotence needs acks=all; sending without idempotence (acks=\(configuration.acks))")
            isIdempotent = false
        }
        self.configuration = configuration
        self.logger = logger
        let cluster = KafkaCluster(configuration: clusterConfiguration, eventLoopGroup: eventLoopGroup, logger: logger)
        let state = NIOLockedValueBox(
            ProducerState(
                accumulator: RecordAccumulator(
                    settings: .init(
                        batchSize: configuration.batchSize, linger: .milliseconds(Int64(configuration.lingerMs)),
                        retryBackoff: .milliseconds(Int64(configuration.retryBackoffMs)),
                        deliveryTimeout: .milliseconds(Int64(configuration.deliveryTimeoutMs)), compression: compression,
                        isTransactional: configuration.transactionalId != nil)),
                transaction: configuration.transactionalId.map { _ in ProducerTransactionState() }))
        let wakeup = SenderWakeup(eventLoop: eventLoopGroup.next())
        let sender = ProducerSender(
            settings: .init(
                acks: configuration.acks, isIdempotent: isIdempotent, transactionalId: configuration.transactionalId,
                retries: configuration.retries,
                requestTimeoutMs: configuration.requestTimeoutMs,
                deliveryTimeout: .milliseconds(Int64(configuration.deliveryTimeoutMs)),
                maxInFlightRequestsPerConnection: configuration.maxInFlightRequestsPerConnection),
            state: state, wakeup: wakeup, cluster: cluster, logger: logger)
        self.cluster = cluster
        self.state = state
        self.wakeup = wakeup
        self.sender = sender
        self.transactions = configuration.transactionalId.map { transactionalId in
            ProducerTransactions(
                settings: .init(
                    transactionalId: transactionalId, transactionTimeoutMs: configuration.transactionTimeoutMs,
                    maxBlockMs: configuration.maxBlockMs, retryBackoffMs: configuration.retryBackoffMs),
                state: state, cluster: cluster, logger: logger)
        }
        self.senderTask = Task { await sender.run() }
    }

    // MARK: - Sending

    /// Sends a record and waits until the broker acknowledged it (acks=0: until it was written).
    ///
    /// - Parameters:
    ///   - key: serialized with `keySerializer`; nil for no key (a random partition with a leader).
    ///   - value: serialized with `valueSerializer`; nil for a null value (a tombstone).
    ///   - partition: the partition to write to, instead of the partitioner's choice.
    ///   - timestamp: milliseconds since the epoch; nil for now.
    public func send(
        topic: String, key: (any Sendable)? = nil, value: (any Sendable)? = nil, headers: [KafkaHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) async throws(KafkaError) -> RecordMetadata {
        try await enqueue(topic: topic, key: key, value: value, headers: headers, partition: partition, timestamp: timestamp).get()
    }

    /// Buffers a record and returns at once (after the topic's metadata is known); the result's
    /// `get()` waits for the acknowledgement. Same parameters as `send`.
    public func enqueue(
        topic: String, key: (any Sendable)? = nil, value: (any Sendable)? = nil, headers: [KafkaHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) async throws(KafkaError) -> FutureRecordMetadata {
        let keyBytes = try key.map { value throws(KafkaError) in try configuration.keySerializer.serialize(value) }
        let valueBytes = try value.map { value throws(KafkaError) in try configuration.valueSerializer.serialize(value) }
        let recordHeaders = headers.isEmpty ? [] : headers.map { RecordHeader(key: $0.key, value: $0.value) }
        let size = RecordBatchHeader.size + RecordAccumulator<Int>.estimatedSize(key: keyBytes, value: valueBytes, headers: recordHeaders)
        guard size <= configuration.maxRequestSize else {
            throw KafkaError(
                .recordTooLarge,
                "the record for \(topic) is \(size) bytes when serialized, more than max_request_size (\(configuration.maxRequestSize))",
                errorCode: .messageTooLarge)
        }
        let partitions = try await partitions(of: topic)
        let chosen =
            partition
            ?? configuration.partitioner.partition(key: keyBytes, allPartitions: partitions.all, availablePartitions: partitions.available)
        guard partitions.all.contains(chosen) else {
            throw KafkaError.broker(.unknownTopicOrPartition, "topic \(topic) has no partition \(chosen)")!
        }
        let timestamp = timestamp ?? Int64(Date().timeIntervalSince1970 * 1000)
        let topicPartition = TopicPartition(topic: topic, partition: chosen)
        if transactions != nil { try await addToTransaction(topicPartition) }
        let outcome = state.withLockedValue { state -> Result<RecordAccumulator<ProducerBatchCompletion>.Appended, KafkaError> in
            guard !state.isClosed else { return .failure(KafkaError.shutdown("the producer")) }
            // The transaction may have ended or failed while the partition was being added.
            if let transaction = state.transaction {
                do throws(KafkaError) {
                    guard try !transaction.needsAdding(topicPartition) else {
                        return .failure(KafkaError(.illegalState, "the transaction ended while \(topicPartition) joined it"))
                    }
                } catch {
                    return .failure(error)
                }
            }
            return .success(
                state.accumulator.append(
                    to: topicPartition, timestamp: timestamp, key: keyBytes, value: valueBytes, headers: recordHeaders, now: .now()
                ) { ProducerBatchCompletion() })
        }
        let appended = try outcome.get()
        if appended.wakeSender { wakeup.signal() }
        return FutureRecordMetadata(
            batch: appended.completion, relativeOffset: appended.relativeOffset, topic: topic, partition: chosen,
            timestamp: timestamp, serializedKeySize: keyBytes?.readableBytes ?? -1,
            serializedValueSize: valueBytes?.readableBytes ?? -1)
    }

    /// The topic's partitions from the producer's cache, or from the cluster within `max_block_ms`.
    private func partitions(of topic: String) async throws(KafkaError) -> ProducerTopicPartitions {
        let now = ContinuousClock.now
        if let cached = state.withLockedValue({ $0.topics[topic] }), cached.expiresAt > now { return cached }
        let metadata = try await cluster.topic(topic, deadline: now + .milliseconds(configuration.maxBlockMs))
        let partitions = ProducerTopicPartitions(
            all: metadata.partitions.map(\.id), available: metadata.availablePartitions.map(\.id),
            expiresAt: ContinuousClock.now + .milliseconds(configuration.metadataMaxAgeMs))
        state.withLockedValue { $0.topics[topic] = partitions }
        return partitions
    }

    /// The partitions of a topic (kafka-python's `partitions_for`).
    public func partitionsFor(topic: String) async throws(KafkaError) -> [Int32] {
        try await partitions(of: topic).all
    }

    // MARK: - Flush and close

    /// Sends everything buffered now, without waiting for `lingerMs`, and waits until each of those
    /// records is acknowledged or failed.
    ///
    /// Unlike kafka-python's `flush`, which leaves failures to each record's future, this throws
    /// when any of those records failed: the first failure, saying how many batches failed in all.
    /// Each record's future still holds its own result.
    public func flush() async throws(KafkaError) {
        let pending = state.withLockedValue { state in
            state.accumulator.beginFlush()
            return state.accumulator.incompleteCompletions
        }
        await sender.sendReadyFromCaller()
        var failures: [KafkaError] = []
        for completion in pending {
            if case .failure(let error) = await completion.result() { failures.append(error) }
        }
        state.withLockedValue { $0.accumulator.endFlush() }
        guard var first = failures.first else { return }
        if failures.count > 1 { first.message += " (and \(failures.count - 1) more batches failed)" }
        throw first
    }

    /// Sends what is buffered and closes the connections. Records still unsent after `timeoutMs`
    /// (nil: no limit beyond each batch's `deliveryTimeoutMs`) fail with `shutdown`. Later sends
    /// throw `shutdown`.
    public func close(timeoutMs: Int? = nil) async {
        state.withLockedValue { state in
            state.isClosed = true
            state.accumulator.close()
        }
        wakeup.signal()
        if let timeoutMs {
            let senderTask = self.senderTask
            let state = self.state
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await senderTask.value }
                group.addTask {
                    guard (try? await Task.sleep(for: .milliseconds(timeoutMs))) != nil else { return }
                    let unsent = state.withLockedValue { $0.accumulator.abortUnsent() }
                    for completion in unsent { completion.fail(KafkaError.shutdown("the producer")) }
                    senderTask.cancel()
                }
                await group.next()
                group.cancelAll()
            }
        }
        await senderTask.value
        await cluster.close()
    }

    /// A producer dropped without `close()` still sends what it buffered, then closes its connections.
    deinit {
        state.withLockedValue { state in
            state.isClosed = true
            state.accumulator.close()
        }
        wakeup.signal()
        Task { [senderTask, cluster] in
            await senderTask.value
            await cluster.close()
        }
    }

    /// Keeps the producer until graceful shutdown (or cancellation), then closes it, sending what is
    /// buffered.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
