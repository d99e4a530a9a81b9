import KafkaProtocol
import Logging

/// InitProducerId 0–5 (v5 only adds an error code Samsa never sends) for idempotent producers: a fresh producer id with epoch 0, or (v3+, KIP-360)
/// the same id with a bumped epoch. With a transactional id the transaction coordinator answers:
/// the id's producer with a bumped epoch, which fences older instances. With an authorizer a
/// transactional id needs WRITE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); an idempotent
/// producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic, as in Kafka 3.0+
/// (CLUSTER_AUTHORIZATION_FAILED).
struct InitProducerIdHandler: ApiHandler {
    let state: BrokerState
    let transactions: TransactionCoordinator
    let versions: ClosedRange<Int16> = 0...5

    func handle(_ request: InitProducerIdRequest, context: RequestContext) async throws -> InitProducerIdResponse? {
        var response = InitProducerIdResponse()
        if let transactionalId = request.transactionalId, !transactionalId.isEmpty {
            guard state.authorize(context, .write, .transactionalId, transactionalId) else {
                response.errorCode = ErrorCode.transactionalIdAuthorizationFailed.rawValue
                return response
            }
            let expected = request.producerId >= 0 && request.producerEpoch >= 0 ? (request.producerId, request.producerEpoch) : nil
            switch await transactions.initProducerId(
                transactionalId: transactionalId, timeoutMs: request.transactionTimeoutMs, expected: expected)
            {
            case .success(let metadata):
                response.producerId = metadata.producerId
                response.producerEpoch = metadata.producerEpoch
            case .failure(let failure):
                response.errorCode = failure.code(forVersion: context.apiVersion, producerFencedFrom: 4).rawValue
            }
            return response
        }
        if let authorizer = state.authorizer, !authorizer.isAllowed(context, .idempotentWrite, .cluster, ResourcePattern.clusterName),
            !authorizer.authorizeAnyResource(context, .write, .topic)
        {
            response.errorCode = ErrorCode.clusterAuthorizationFailed.rawValue
            return response
        }
        if request.producerId >= 0 && request.producerEpoch >= 0 && request.producerEpoch < Int16.max - 1 {
            response.producerId = request.producerId
            response.producerEpoch = request.producerEpoch + 1
            return response
        }
        do {
            response.producerId = try state.producerIds.allocate()
            response.producerEpoch = 0
        } catch {
            state.logger.error("Cannot persist the producer id block: \(error)")
            response.errorCode = ErrorCode.kafkaStorageError.rawValue
        }
        return response
    }
}
