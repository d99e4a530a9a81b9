import KafkaProtocol
import KafkaRecords
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The producer's background task (kafka-python's Sender): drains ready batches from the
/// accumulator, groups them by partition leader into Produce requests, and completes, retries or
/// fails each batch from the answer. Runs until the producer is closed and every batch is done.
final class ProducerSender: Sendable {
    struct Settings: Sendable {
        var acks: KafkaAcks
        var isIdempotent: Bool
        /// Set for a transactional producer, whose id and epoch come from `initTransactions()`.
        var transactionalId: String?
        var retries: Int
        var requestTimeoutMs: Int
        var deliveryTimeout: TimeAmount
        var maxInFlightRequestsPerConnection: Int
    }

    private let settings: Settings
    private let state: NIOLockedValueBox<ProducerState>
    private let wakeup: SenderWakeup
    private let cluster: KafkaCluster
    private let logger: Logger
    private let requestsInFlight = NIOLockedValueBox<[Int32: Int]>([:])
    /// Set when idempotence had to be given up (the broker has no InitProducerId).
    private let idempotenceUnavailable = NIOLockedValueBox(false)

    init(settings: Settings, state: NIOLockedValueBox<ProducerState>, wakeup: SenderWakeup, cluster: KafkaCluster, logger: Logger) {
        self.settings = settings
        self.state = state
        self.wakeup = wakeup
        self.cluster = cluster
        self.logger = logger
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            while true {
                if needsIdentity {
                    guard await initProducerId() else {
                        await wakeup.wait(until: .now() + .milliseconds(Int64(settings.requestTimeoutMs / 10)))
                        continue
                    }
                }
                let drained = drain()
                if !drained.ready.isEmpty {
                    for (leader, batches) in await requests(for: drained.ready) {
                        group.addTask { await self.send(batches, to: leader) }
                    }
                }
                if state.withLockedValue({ $0.isClosed && $0.accumulator.isEmpty }) { return }
                await wakeup.wait(until: drained.nextDeadline)
                if Task.isCancelled { return }
            }
        }
    }

    /// Sends what is ready from the calling task and returns when those requests are answered:
    /// `flush` calls it so that the records it waits for need no hand-off to the sender task and
    /// back. Leaves everything to the sender task while an idempotent producer has no id yet.
    func sendReadyFromCaller() async {
        guard !needsIdentity else {
            wakeup.signal()
            return
        }
        let drained = drain()
        guard !drained.ready.isEmpty else { return }
        let requests = await requests(for: drained.ready)
        if requests.count == 1, let (leader, batches) = requests.first {
            await send(batches, to: leader)
        } else {
            await withDiscardingTaskGroup { group in
                for (leader, batches) in requests { group.addTask { await self.send(batches, to: leader) } }
            }
        }
    }

    private var needsIdentity: Bool {
        guard settings.isIdempotent, settings.transactionalId == nil, !idempotenceUnavailable.withLockedValue({ $0 }) else {
            return false
        }
        return state.withLockedValue { !$0.accumulator.isEmpty && $0.accumulator.producerIdentity == nil }
    }

    /// Takes the ready batches from the accumulator, encodes them, and fails the expired ones.
    private func drain() -> RecordAccumulator<ProducerBatchCompletion>.Drained {
        var drained = state.withLockedValue { $0.accumulator.drain(now: .now()) }
        for batch in drained.expired {
            let error = KafkaError(
                .timedOut, "\(batch.recordCount) record(s) for \(batch.topicPartition) expired after delivery_timeout_ms",
                errorCode: .requestTimedOut)
            state.withLockedValue { $0.transaction?.batchFailed(error) }
            batch.completion.fail(error)
        }
        // Encoded here, in place, while each batch's buffer has no other reference: an encoding
        // that went through copies of the batch (the request groupings hold some) would copy the
        // whole batch to write its header.
        var unencodable: [Int] = []
        for index in drained.ready.indices {
            do {
                _ = try drained.ready[index].encode()
            } catch {
                encodingFailed(drained.ready[index], error)
                unencodable.append(index)
            }
        }
        for index in unencodable.reversed() { drained.ready.remove(at: index) }
        return drained
    }

    // MARK: - Idempotence

    /// Gets a producer id and epoch; false when it should be tried again later.
    private func initProducerId() async -> Bool {
        do {
            let connection = try await cluster.anyConnection()
            guard connection.apiVersions.supports(.initProducerId) else {
                logger.warning("the broker does not support InitProducerId; sending without idempotence")
                idempotenceUnavailable.withLockedValue { $0 = true }
                return true
            }
            // A producer that is idempotent but not transactional has no transactional id and never
            // times out a transaction (Kafka's Java client sends Integer.MAX_VALUE).
            let response = try await connection.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: .max))
            if let error = KafkaError.broker(code: response.errorCode, "InitProducerId") { throw error }
            state.withLockedValue {
                $0.accumulator.producerIdentityChanged(.init(producerId: response.producerId, epoch: response.producerEpoch))
            }
            logger.debug("producer id \(response.producerId), epoch \(response.producerEpoch)")
            return true
        } catch {
            logger.warning("InitProducerId failed: \(error)")
            return false
        }
    }

    // MARK: - Requests

    /// Groups the batches into one request per leader. Batches whose broker already has
    /// `max_in_flight_requests_per_connection` requests open go back to the accumulator, those
    /// without a known leader fail (or are retried); each request returned holds an in-flight slot
    /// that `send` gives back.
    private func requests(
        for batches: [ProducerBatch<ProducerBatchCompletion>]
    ) async -> [(leader: Int32, batches: [ProducerBatch<ProducerBatchCompletion>])] {
        var leaders: [TopicPartition: Int32] = [:]
        for topic in Set(batches.map { $0.topicPartition.topic }) {
            guard let metadata = try? await cluster.topic(topic, deadline: .now + .milliseconds(settings.requestTimeoutMs)) else {
                continue
            }
            for partition in metadata.partitions where partition.leader >= 0 {
                leaders[TopicPartition(topic: topic, partition: partition.id)] = partition.leader
            }
        }
        var byLeader: [Int32: [ProducerBatch<ProducerBatchCompletion>]] = [:]
        for batch in batches {
            if let leader = leaders[batch.topicPartition] {
                byLeader[leader, default: []].append(batch)
            } else {
                await failed(batch, KafkaError.broker(.leaderNotAvailable, "produce to \(batch.topicPartition)")!)
            }
        }
        var requests: [(leader: Int32, batches: [ProducerBatch<ProducerBatchCompletion>])] = []
        for (leader, batches) in byLeader {
            let acquired = requestsInFlight.withLockedValue { counts -> Bool in
                guard counts[leader, default: 0] < settings.maxInFlightRequestsPerConnection else { return false }
                counts[leader, default: 0] += 1
                return true
            }
            if acquired {
                requests.append((leader, batches))
            } else {
                state.withLockedValue { state in for batch in batches { state.accumulator.requeue(batch) } }
            }
        }
        return requests
    }

    /// Sends one request and handles its answer, then gives back its in-flight slot and wakes the
    /// sender task if anything is left for it.
    private func send(_ batches: [ProducerBatch<ProducerBatchCompletion>], to leader: Int32) async {
        await produce(batches, to: leader)
        requestsInFlight.withLockedValue { $0[leader, default: 1] -= 1 }
        if state.withLockedValue({ !$0.accumulator.isEmpty || $0.isClosed }) { wakeup.signal() }
    }

    private func produce(_ batches: [ProducerBatch<ProducerBatchCompletion>], to leader: Int32) async {
        var encoded: [(batch: ProducerBatch<ProducerBatchCompletion>, bytes: ByteBuffer)] = []
        // Batches are encoded when drained; this only encodes one that was not.
        for var batch in batches {
            do {
                let bytes = try batch.encode()
                encoded.append((batch, bytes))
            } catch {
                encodingFailed(batch, error)
            }
        }
        guard !encoded.isEmpty else { return }
        let byTopic = Dictionary(grouping: encoded) { $0.batch.topicPartition.topic }
        let request = ProduceRequest(
            transactionalId: settings.transactionalId, acks: settings.acks.rawValue, timeoutMs: Int32(clamping: settings.requestTimeoutMs),
            topicData: byTopic.map { topic, entries in
                .init(name: topic, partitionData: entries.map { .init(index: $0.batch.topicPartition.partition, records: $0.bytes) })
            })
        do {
            let connection = try await cluster.connection(toNode: leader)
            let version = try connection.apiVersions.version(for: ProduceRequest.self)
            guard settings.acks != .none else {
                try await connection.sendWithoutResponse(request, version: version)
                for entry in encoded { complete(entry.batch, .success(ProducedBatch(baseOffset: -1, logAppendTime: -1))) }
                return
            }
            let response = try await connection.send(request, version: version)
            var answered = Set<TopicPartition>()
            for topic in response.responses {
                for partition in topic.partitionResponses {
                    let topicPartition = TopicPartition(topic: topic.name, partition: partition.index)
                    guard let entry = encoded.first(where: { $0.batch.topicPartition == topicPartition }) else { continue }
                    answered.insert(topicPartition)
                    await handle(partition, for: entry.batch)
                }
            }
            for entry in encoded where !answered.contains(entry.batch.topicPartition) {
                await failed(
                    entry.batch, KafkaError(.protocolViolation, "the Produce response does not mention \(entry.batch.topicPartition)"))
            }
        } catch {
            for entry in encoded { await failed(entry.batch, error) }
        }
    }

    private func handle(
        _ response: ProduceResponse.PartitionProduceResponse, for batch: ProducerBatch<ProducerBatchCompletion>
    ) async {
        let errorCode = ErrorCode(rawValue: response.errorCode)
        switch errorCode {
        case .noError:
            complete(batch, .success(ProducedBatch(baseOffset: response.baseOffset, logAppendTime: response.logAppendTimeMs)))
        case .duplicateSequenceNumber:
            // The broker already has this batch from an earlier attempt whose answer was lost.
            complete(batch, .success(ProducedBatch(baseOffset: response.baseOffset, logAppendTime: response.logAppendTimeMs)))
        default:
            await failed(
                batch,
                KafkaError.broker(code: response.errorCode, "produce to \(batch.topicPartition)", brokerMessage: response.errorMessage)!)
        }
    }

    /// Retries the batch when the error allows it and time and `retries` remain; fails it otherwise.
    private func failed(_ batch: ProducerBatch<ProducerBatchCompletion>, _ error: KafkaError) async {
        if error.errorCode.map(Self.meansStaleMetadata) ?? true {
            await cluster.invalidate(topic: batch.topicPartition.topic)
            state.withLockedValue { $0.topics[batch.topicPartition.topic] = nil }
        }
        let now = NIODeadline.now()
        if error.isRetriable, batch.attempts < settings.retries, batch.createdAt + settings.deliveryTimeout > now + .milliseconds(1) {
            logger.debug("retrying \(batch.topicPartition): \(error)")
            state.withLockedValue { $0.accumulator.retry(batch, now: now) }
            return
        }
        if settings.transactionalId == nil, let code = error.errorCode, Self.breaksSequences(code) {
            // The broker no longer accepts this producer's sequences; start over with a new id.
            // A transactional producer gets its new epoch when the transaction is aborted instead.
            state.withLockedValue { $0.accumulator.producerIdentityChanged(nil) }
        } else if settings.transactionalId == nil, error.code == .broker {
            // Refused by the broker (MESSAGE_TOO_LARGE, INVALID_RECORD, …), not lost in transit:
            // the batch is not stored, and a gap in the sequences would fail every later batch.
            state.withLockedValue { $0.accumulator.releaseSequences(of: batch) }
        }
        complete(batch, .failure(error))
    }

    private func encodingFailed(_ batch: ProducerBatch<ProducerBatchCompletion>, _ error: RecordBatchError) {
        complete(
            batch, .failure(KafkaError(.serializationFailed, "encoding a batch for \(batch.topicPartition) failed", underlying: error)))
    }

    private func complete(_ batch: ProducerBatch<ProducerBatchCompletion>, _ result: Result<ProducedBatch, KafkaError>) {
        state.withLockedValue { $0.accumulator.completed(batch.topicPartition) }
        switch result {
        case .success(let produced): batch.completion.succeed(produced)
        case .failure(let error):
            state.withLockedValue { $0.transaction?.batchFailed(error) }
            // Logged as well as handed to the futures: a caller that enqueues and never awaits
            // them must still hear of records that were lost.
            logger.warning("\(batch.recordCount) records to \(batch.topicPartition) failed: \(error)")
            batch.completion.fail(error)
        }
    }

    private static func meansStaleMetadata(_ code: ErrorCode) -> Bool {
        [.notLeaderOrFollower, .unknownTopicOrPartition, .leaderNotAvailable, .networkException].contains(code)
    }

    private static func breaksSequences(_ code: ErrorCode) -> Bool {
        [.outOfOrderSequenceNumber, .unknownProducerId, .invalidProducerEpoch].contains(code)
    }
}
