import KafkaProtocol
import KafkaStorage

/// DescribeTransactions 0 (KIP-664, kafka-transactions.sh describe): each id's state, producer,
/// timeout, start time and partitions; TRANSACTIONAL_ID_NOT_FOUND for an unknown id.
struct DescribeTransactionsHandler: ApiHandler {
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...0

    func handle(_ request: DescribeTransactionsRequest, context: RequestContext) async throws -> DescribeTransactionsResponse? {
        let known = Dictionary(uniqueKeysWithValues: transactions.transactions.map { ($0.transactionalId, $0) })
        return DescribeTransactionsResponse(
            transactionStates: request.transactionalIds.map { transactionalId in
                guard let metadata = known[transactionalId] else {
                    return .init(errorCode: ErrorCode.transactionalIdNotFound.rawValue, transactionalId: transactionalId)
                }
                return .init(
                    transactionalId: transactionalId, transactionState: metadata.state.name,
                    transactionTimeoutMs: metadata.timeoutMs, transactionStartTimeMs: metadata.startTimestampMs,
                    producerId: metadata.producerId, producerEpoch: metadata.producerEpoch,
                    topics: Dictionary(grouping: metadata.partitions, by: \.topic).sorted { $0.key < $1.key }.map {
                        .init(topic: $0.key, partitions: $0.value.map(\.partition).sorted())
                    })
            })
    }
}

/// ListTransactions 0–1 (kafka-transactions.sh list): every transactional id, filtered by state
/// names, producer ids and (v1) how long the transaction has run.
struct ListTransactionsHandler: ApiHandler {
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...1

    func handle(_ request: ListTransactionsRequest, context: RequestContext) async throws -> ListTransactionsResponse? {
        let stateNames = Set(TransactionState.allCases.map(\.name))
        let nowMs = WallClock.milliseconds()
        let listed = transactions.transactions.filter { metadata in
            (request.stateFilters.isEmpty || request.stateFilters.contains(metadata.state.name))
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
