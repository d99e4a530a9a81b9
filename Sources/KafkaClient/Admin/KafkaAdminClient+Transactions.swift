import KafkaProtocol

extension KafkaAdminClient {
    /// Every transactional id the brokers coordinate (ListTransactions to each broker), as
    /// kafka-transactions.sh `list` shows them.
    public func listTransactions() async throws(KafkaError) -> [KafkaTransactionListing] {
        var listings: [KafkaTransactionListing] = []
        for nodeId in try await brokerIds() {
            let response = try await cluster.connection(toNode: nodeId).send(ListTransactionsRequest())
            if let error = KafkaError.broker(code: response.errorCode, "list transactions of broker \(nodeId)") { throw error }
            listings += response.transactionStates.map {
                KafkaTransactionListing(
                    transactionalId: $0.transactionalId, producerId: $0.producerId, state: $0.transactionState, coordinatorId: nodeId)
            }
        }
        return listings.sorted { $0.transactionalId < $1.transactionalId }
    }

    /// The transaction of `transactionalId`, from its coordinator (FindCoordinator key type
    /// TRANSACTION, then DescribeTransactions).
    public func describeTransaction(_ transactionalId: String) async throws(KafkaError) -> KafkaTransactionDescription {
        let coordinator = try await cluster.coordinator(
            forTransactionalId: transactionalId, deadline: .now + .milliseconds(configuration.requestTimeoutMs))
        let response = try await coordinator.connection.send(DescribeTransactionsRequest(transactionalIds: [transactionalId]))
        guard let state = response.transactionStates.first(where: { $0.transactionalId == transactionalId }) else {
            throw KafkaError(.protocolViolation, "the DescribeTransactions response does not mention \(transactionalId)")
        }
        if let error = KafkaError.broker(code: state.errorCode, "describe transactional id \(transactionalId)") { throw error }
        return KafkaTransactionDescription(
            transactionalId: transactionalId, coordinatorId: coordinator.nodeId, producerId: state.producerId,
            producerEpoch: state.producerEpoch, state: state.transactionState, transactionTimeoutMs: state.transactionTimeoutMs,
            transactionStartTimeMs: state.transactionStartTimeMs >= 0 ? state.transactionStartTimeMs : nil,
            topicPartitions: state.topics.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) } }
                .sorted())
    }
}
