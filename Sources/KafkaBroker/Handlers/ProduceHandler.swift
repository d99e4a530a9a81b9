import KafkaProtocol
import KafkaRecords
import KafkaStorage
import Logging
import NIOCore

/// Produce 0–11 (v10 and v11 change only what a NOT_LEADER answer and a transaction error
/// carry). Batches are validated (framing, CRC-32C, size, codec) and appended as received;
/// acks=1 is answered after the append, acks=all after the data is fsync'd (one group-committed
/// fsync covers every request waiting at that moment), acks=0 never. v0–2 carry magic 0/1
/// messages, converted to one batch: no client here sends those versions, but older librdkafka
/// (2.0.2, Debian's kcat) compresses with gzip, snappy or lz4 only when the broker's Produce range
/// includes v0, and otherwise sends its batches uncompressed. With an authorizer each topic needs
/// WRITE (TOPIC_AUTHORIZATION_FAILED) and a transactional producer WRITE on its transactional id.
struct ProduceHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...11

    private struct PartitionOutcome {
        var topic: String
        var response: ProduceResponse.PartitionProduceResponse
        /// Set when the append succeeded and acks=all still has to wait for the fsync.
        var pendingFlush: (log: PartitionLog, lastOffset: Int64)?
    }

    func handle(_ request: ProduceRequest, context: RequestContext) async throws -> ProduceResponse? {
        guard [0, 1, -1].contains(request.acks) else {
            return response(for: request, allFailingWith: .invalidRequiredAcks, context: context)
        }
        if let transactionalId = request.transactionalId, !state.authorize(context, .write, .transactionalId, transactionalId) {
            return response(for: request, allFailingWith: .transactionalIdAuthorizationFailed, context: context)
        }
        var outcomes: [PartitionOutcome] = []
        for topicData in request.topicData {
            let topic = state.topics.topic(named: topicData.name)
            let writeAllowed = state.authorize(context, .write, .topic, topicData.name)
            for partitionData in topicData.partitionData {
                var result = ProduceResponse.PartitionProduceResponse(index: partitionData.index)
                var pendingFlush: (PartitionLog, Int64)?
                do throws(ProduceError) {
                    guard writeAllowed else { throw ProduceError(.topicAuthorizationFailed, nil) }
                    guard let topic, partitionData.index >= 0, Int(partitionData.index) < topic.partitions.count else {
                        throw ProduceError(.unknownTopicOrPartition, nil)
                    }
                    if topic.isInternal {
                        throw ProduceError(.invalidTopicException, "Cannot append to internal topic \(topic.name)")
                    }
                    let log = topic.partitions[Int(partitionData.index)]
                    try checkTransaction(of: partitionData.records, to: log.topicPartition)
                    let appended = try append(
                        partitionData.records, to: log, topic: topic, acks: request.acks, legacyMessages: context.apiVersion < 3)
                    result.baseOffset = appended.firstOffset
                    result.logAppendTimeMs = appended.logAppendTime
                    result.logStartOffset = log.logStartOffset
                    if request.acks == -1 { pendingFlush = (log, appended.lastOffset) }
                    if !appended.isDuplicate {
                        state.metrics.recordAppend(
                            topic: topic.name, messages: Int64(appended.recordCount), bytes: partitionData.records?.readableBytes ?? 0)
                    }
                } catch {
                    state.metrics.recordProduceError(error.code)
                    result.errorCode = error.code.rawValue
                    result.errorMessage = error.message
                    result.recordErrors = error.recordErrors.map { .init(batchIndex: $0.batchIndex, batchIndexErrorMessage: $0.message) }
                    result.baseOffset = -1
                }
                outcomes.append(PartitionOutcome(topic: topicData.name, response: result, pendingFlush: pendingFlush))
            }
        }
        if request.acks == -1 {
            outcomes = await waitForFlushes(outcomes)
        }
        if request.acks == 0 {
            if let failed = outcomes.first(where: { $0.response.errorCode != 0 }) {
                throw ConnectionClosingError(
                    reason:
                        "acks=0 produce to \(failed.topic)-\(failed.response.index) failed with \(ErrorCode(rawValue: failed.response.errorCode))"
                )
            }
            return nil
        }
        var response = ProduceResponse()
        for outcome in outcomes {
            if let index = response.responses.firstIndex(where: { $0.name == outcome.topic }) {
                response.responses[index].partitionResponses.append(outcome.response)
            } else {
                response.responses.append(.init(name: outcome.topic, partitionResponses: [outcome.response]))
            }
        }
        return response
    }

    private func append(
        _ records: ByteBuffer?, to log: PartitionLog, topic: Topic, acks: Int16, legacyMessages: Bool
    ) throws(ProduceError) -> LogAppendResult {
        if acks == -1 && topic.settings.minInsyncReplicas > 1 {
            throw ProduceError(.notEnoughReplicas, "Messages are rejected since there are fewer in-sync replicas than required.")
        }
        guard let records, records.readableBytes > 0 else {
            throw ProduceError(.corruptMessage, "The produce request carries no records.")
        }
        let appendTimeMs = WallClock.milliseconds()
        var batches = try ProduceValidation.validate(
            records, maxMessageBytes: topic.settings.maxMessageBytes, recompressingTo: topic.settings.compressionType,
            allowingLegacyMessages: legacyMessages,
            recordChecks: ProduceRecordChecks(topicPartition: "\(log.topicPartition)", settings: topic.settings, nowMs: appendTimeMs))
        if topic.settings.messageTimestampType == .logAppendTime {
            batches = ProduceValidation.stampingLogAppendTime(appendTimeMs, on: batches)
        }
        var appended: LogAppendResult
        do {
            appended = try log.append(batches, appendTimeMs: appendTimeMs)
        } catch {
            throw ProduceError(storageError: error)
        }
        state.appendNotifier.notifyAppend(to: log.topicPartition)
        // The storage reports no append time: only the broker knows it stamped the batches.
        if topic.settings.messageTimestampType == .logAppendTime && !appended.isDuplicate {
            appended.logAppendTime = appendTimeMs
        }
        return appended
    }

    /// Waits for the group-committed fsync of every appended partition at once, so that one flush
    /// round covers them all.
    private func waitForFlushes(_ outcomes: [PartitionOutcome]) async -> [PartitionOutcome] {
        await withTaskGroup(of: (Int, (any Error)?).self) { group in
            for (index, outcome) in outcomes.enumerated() {
                guard let pending = outcome.pendingFlush else { continue }
                group.addTask {
                    do {
                        try await state.flusher.waitForFlush(of: pending.log, upTo: pending.lastOffset)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var results = outcomes
            for await (index, error) in group {
                guard let error else { continue }
                state.logger.error("fsync of \(results[index].topic)-\(results[index].response.index) failed: \(error)")
                state.metrics.recordProduceError(.kafkaStorageError)
                results[index].response.errorCode = ErrorCode.kafkaStorageError.rawValue
                results[index].response.errorMessage = "Disk error when trying to access log file on the disk."
                results[index].response.baseOffset = -1
            }
            return results
        }
    }

    private func response(for request: ProduceRequest, allFailingWith code: ErrorCode, context: RequestContext) -> ProduceResponse {
        for topic in request.topicData {
            for _ in topic.partitionData { state.metrics.recordProduceError(code) }
        }
        return ProduceResponse(
            responses: request.topicData.map { topic in
                .init(
                    name: topic.name,
                    partitionResponses: topic.partitionData.map { .init(index: $0.index, errorCode: code.rawValue, baseOffset: -1) })
            })
    }
}
