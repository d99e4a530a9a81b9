import KafkaProtocol
import Logging

/// FindCoordinator 0–6: this broker coordinates every group and every transactional id (batched
/// keys from v4); share groups (key type 2, v6) are not implemented and get INVALID_REQUEST. With an
/// authorizer each key needs DESCRIBE on its group or transactional id, as in Kafka.
struct FindCoordinatorHandler: ApiHandler {
    let state: BrokerState
    let offsets: OffsetStore
    let transactionStore: TransactionTopicStore
    let versions: ClosedRange<Int16> = 0...6

    private static let groupKeyType: Int8 = 0
    private static let transactionKeyType: Int8 = 1

    func handle(_ request: FindCoordinatorRequest, context: RequestContext) async throws -> FindCoordinatorResponse? {
        let listener = state.advertisedListener(for: context.listenerName)
        let isGroup = request.keyType == Self.groupKeyType
        let outcome: (String) -> (ErrorCode, String?)
        if !isGroup && request.keyType != Self.transactionKeyType {
            outcome = { _ in (.invalidRequest, "Unknown coordinator key type \(request.keyType)") }
        } else {
            do {
                _ = try isGroup ? offsets.offsetsTopic() : transactionStore.stateTopic()
            } catch {
                state.logger.error("Cannot create \(isGroup ? Topic.consumerOffsets : Topic.transactionState): \(error)")
                return FindCoordinatorResponse(errorCode: ErrorCode.coordinatorNotAvailable.rawValue, errorMessage: error.message)
            }
            let resourceType: AclResourceType = isGroup ? .group : .transactionalId
            let refusal: ErrorCode = isGroup ? .groupAuthorizationFailed : .transactionalIdAuthorizationFailed
            outcome = { key in
                if state.authorize(context, .describe, resourceType, key) { return (.noError, nil) }
                return (refusal, refusal.defaultMessage)
            }
        }
        let node = state.configuration.nodeId
        if context.apiVersion >= 4 {
            return FindCoordinatorResponse(
                coordinators: request.coordinatorKeys.map { key in
                    let (code, message) = outcome(key)
                    return code == .noError
                        ? .init(key: key, nodeId: node, host: listener.host, port: Int32(listener.port), errorCode: 0, errorMessage: nil)
                        : .init(key: key, nodeId: -1, host: "", port: -1, errorCode: code.rawValue, errorMessage: message)
                })
        }
        let (code, message) = outcome(request.key)
        if code != .noError {
            return FindCoordinatorResponse(errorCode: code.rawValue, errorMessage: message, nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(errorMessage: nil, nodeId: node, host: listener.host, port: Int32(listener.port))
    }
}
