import KafkaProtocol
import KafkaStorage
import Logging

extension TransactionFailure {
    /// The code a client of `version` expects: PRODUCER_FENCED exists from the version given
    /// (KIP-588); older clients know the same condition as INVALID_PRODUCER_EPOCH.
    func code(forVersion version: Int16, producerFencedFrom firstVersion: Int16) -> ErrorCode {
        code == .producerFenced && version < firstVersion ? .invalidProducerEpoch : code
    }
}

/// AddPartitionsToTxn 0–3 (v4+ is broker-to-broker verification, KIP-890): the partitions join
/// the transaction. Unknown partitions fail the request, the others then get OPERATION_NOT_ATTEMPTED.
/// With an authorizer it needs WRITE on the transactional id and on each topic, as in Kafka.
struct AddPartitionsToTxnHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...3

    func handle(_ request: AddPartitionsToTxnRequest, context: RequestContext) async throws -> AddPartitionsToTxnResponse? {
        let requested = request.v3AndBelowTopics.flatMap { topic in
            topic.partitions.map { TopicPartition(topic: topic.name, partition: $0) }
        }
        if !state.authorize(context, .write, .transactionalId, request.v3AndBelowTransactionalId) {
            return Self.response(request, code: { _ in .transactionalIdAuthorizationFailed })
        }
        let refusedTopics = Set(request.v3AndBelowTopics.map(\.name).filter { !state.authorize(context, .write, .topic, $0) })
        if !refusedTopics.isEmpty {
            return Self.response(request, code: { refusedTopics.contains($0.topic) ? .topicAuthorizationFailed : .operationNotAttempted })
        }
        let unknown = Set(requested.filter { state.topics.log($0.topic, $0.partition) == nil })
        var failure: ErrorCode?
        if !unknown.isEmpty {
            failure = .operationNotAttempted
        } else if let refused = await transactions.addPartitions(
            transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
            producerEpoch: request.v3AndBelowProducerEpoch, Set(requested))
        {
            failure = refused.code(forVersion: context.apiVersion, producerFencedFrom: 2)
        }
        return Self.response(request, code: { unknown.contains($0) ? .unknownTopicOrPartition : failure ?? .noError })
    }

    private static func response(
        _ request: AddPartitionsToTxnRequest, code: (TopicPartition) -> ErrorCode
    ) -> AddPartitionsToTxnResponse {
        AddPartitionsToTxnResponse(
            resultsByTopicV3AndBelow: request.v3AndBelowTopics.map { topic in
                .init(
                    name: topic.name,
                    resultsByPartition: topic.partitions.map { partition in
                        .init(
                            partitionIndex: partition,
                            partitionErrorCode: code(TopicPartition(topic: topic.name, partition: partition)).rawValue)
                    })
            })
    }
}

/// AddOffsetsToTxn 0–4 (v4 only adds TRANSACTION_ABORTABLE, which Samsa never sends): the group's `__consumer_offsets` partition joins the transaction, so
/// that EndTxn's marker there commits or drops the offsets TxnOffsetCommit sends. With an
/// authorizer it needs WRITE on the transactional id and READ on the group.
struct AddOffsetsToTxnHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...4

    func handle(_ request: AddOffsetsToTxnRequest, context: RequestContext) async throws -> AddOffsetsToTxnResponse? {
        guard state.authorize(context, .write, .transactionalId, request.transactionalId) else {
            return AddOffsetsToTxnResponse(errorCode: ErrorCode.transactionalIdAuthorizationFailed.rawValue)
        }
        guard state.authorize(context, .read, .group, request.groupId) else {
            return AddOffsetsToTxnResponse(errorCode: ErrorCode.groupAuthorizationFailed.rawValue)
        }
        let refused = await transactions.addPartitions(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            [transactions.offsetsPartition(forGroup: request.groupId)])
        return AddOffsetsToTxnResponse(
            errorCode: (refused?.code(forVersion: context.apiVersion, producerFencedFrom: 2) ?? .noError).rawValue)
    }
}

/// EndTxn 0–4 (v4 only adds TRANSACTION_ABORTABLE, which Samsa never sends): commits or aborts; answered once every marker is written. With an authorizer it
/// needs WRITE on the transactional id.
struct EndTxnHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...4

    func handle(_ request: EndTxnRequest, context: RequestContext) async throws -> EndTxnResponse? {
        guard state.authorize(context, .write, .transactionalId, request.transactionalId) else {
            return EndTxnResponse(errorCode: ErrorCode.transactionalIdAuthorizationFailed.rawValue)
        }
        let refused = await transactions.endTransaction(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            commit: request.committed)
        return EndTxnResponse(errorCode: (refused?.code(forVersion: context.apiVersion, producerFencedFrom: 2) ?? .noError).rawValue)
    }
}

/// TxnOffsetCommit 0–4 (v4 only adds TRANSACTION_ABORTABLE, which Samsa never sends): offsets committed inside the transaction, pending until its commit
/// marker; an abort drops them. With an authorizer it needs WRITE on the transactional id, READ on
/// the group and READ on each topic, as OffsetCommit.
struct TxnOffsetCommitHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let offsets: OffsetStore
    let versions: ClosedRange<Int16> = 0...4

    func handle(_ request: TxnOffsetCommitRequest, context: RequestContext) async throws -> TxnOffsetCommitResponse? {
        if !state.authorize(context, .write, .transactionalId, request.transactionalId) {
            return Self.response(request, code: { _ in .transactionalIdAuthorizationFailed })
        }
        if !state.authorize(context, .read, .group, request.groupId) {
            return Self.response(request, code: { _ in .groupAuthorizationFailed })
        }
        let refusedTopics = Set(request.topics.map(\.name).filter { !state.authorize(context, .read, .topic, $0) })
        if !refusedTopics.isEmpty {
            return Self.response(request, code: { refusedTopics.contains($0) ? .topicAuthorizationFailed : .operationNotAttempted })
        }
        var code = transactions.checkOffsetCommit(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            group: request.groupId)
        if code == nil {
            let now = WallClock.milliseconds()
            let commits = request.topics.flatMap { topic in
                topic.partitions.map { partition in
                    (
                        TopicPartition(topic: topic.name, partition: partition.partitionIndex),
                        CommittedOffset(
                            offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch,
                            metadata: partition.committedMetadata ?? "", commitTimestampMs: now)
                    )
                }
            }
            do {
                try await offsets.commitTransactional(
                    group: request.groupId, producerId: request.producerId, producerEpoch: request.producerEpoch, commits)
            } catch {
                state.logger.error("Could not write the transactional offsets of group \(request.groupId): \(error)")
                code = .coordinatorNotAvailable
            }
        }
        let answer = code.map { TransactionFailure($0).code(forVersion: context.apiVersion, producerFencedFrom: 3) } ?? .noError
        return Self.response(request, code: { _ in answer })
    }

    /// Every requested partition answered with `code` of its topic's name.
    private static func response(_ request: TxnOffsetCommitRequest, code: (String) -> ErrorCode) -> TxnOffsetCommitResponse {
        TxnOffsetCommitResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: code(topic.name).rawValue) })
            })
    }
}
