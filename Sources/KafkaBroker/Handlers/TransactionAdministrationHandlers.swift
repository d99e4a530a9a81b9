import KafkaProtocol
import KafkaStorage

/// DescribeTransactions 0 (KIP-664, kafka-transactions.sh describe): each id's state, producer,
/// timeout, start time and partitions; TRANSACTIONAL_ID_NOT_FOUND for an unknown id. With an
/// authorizer, as in Kafka: an id needs DESCRIBE on it, and only the topics the principal may
/// describe are listed.
struct DescribeTransactionsHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...0

    func handle(_ request: DescribeTransactionsRequest, context: RequestContext) async throws -> DescribeTransactionsResponse? {
        let known = Dictionary(uniqueKeysWithValues: transactions.transactions.map { ($0.transactionalId, $0) })
        var mayDescribeTopic = AuthorizationCache { state.isAllowed(context, .describe, .topic, $0) }
        return DescribeTransactionsResponse(
            transactionStates: request.transactionalIds.map { transactionalId in
                guard state.authorize(context, .describe, .transactionalId, transactionalId) else {
                    return .init(errorCode: ErrorCode.transactionalIdAuthorizationFailed.rawValue, transactionalId: transactionalId)
                }
                guard let metadata = known[transactionalId] else {
                    return .init(errorCode: ErrorCode.transactionalIdNotFound.rawValue, transactionalId: transactionalId)
                }
                return .init(
                    transactionalId: transactionalId, transactionState: metadata.state.name,
                    transactionTimeoutMs: metadata.timeoutMs, transactionStartTimeMs: metadata.startTimestampMs,
                    producerId: metadata.producerId, producerEpoch: metadata.producerEpoch,
                    topics: Dictionary(grouping: metadata.partitions, by: \.topic).sorted { $0.key < $1.key }
                        .filter { mayDescribeTopic($0.key) }.map {
                            .init(topic: $0.key, partitions: $0.value.map(\.partition).sorted())
                        })
            })
    }
}

/// ListTransactions 0–1 (kafka-transactions.sh list): every transactional id, filtered by state
/// names, producer ids and (v1) how long the transaction has run. With an authorizer only the ids
/// the principal may describe are listed, as in Kafka.
struct ListTransactionsHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...1

    func handle(_ request: ListTransactionsRequest, context: RequestContext) async throws -> ListTransactionsResponse? {
        let stateNames = Set(TransactionState.allCases.map(\.name))
        let nowMs = WallClock.milliseconds()
        let listed = transactions.transactions.filter { metadata in
            state.isAllowed(context, .describe, .transactionalId, metadata.transactionalId)
                && (request.stateFilters.isEmpty || request.stateFilters.contains(metadata.state.name))
                && (request.producerIdFilters.isEmpty || request.producerIdFilters.contains(metadata.producerId))
                && (request.durationFilter < 0
                    || (metadata.startTimestampMs >= 0 && nowMs - metadata.startTimestampMs >= request.durationFilter))
        }
        return ListTransactionsResponse(
            unknownStateFilters: request.stateFilters.filter { !stateNames.contains($0) },
            transactionStates: listed.map {
                .init(transactionalId: $0.transactionalId, producerId: $0.producerId, transactionState: $0.state.name)
            })
    }
}
