import KafkaProtocol
import Logging

/// FindCoordinator 0–4: this broker coordinates every group (batched keys from v4). There is no
/// transaction coordinator yet: a transaction key gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the one
/// answer that every client's transaction manager treats as fatal at once (COORDINATOR_NOT_AVAILABLE
/// would make `init_transactions()` retry until the client's own timeout, up to a minute).
struct FindCoordinatorHandler: ApiHandler {
    let state: BrokerState
    let offsets: OffsetStore
    let versions: ClosedRange<Int16> = 0...4

    private static let groupKeyType: Int8 = 0
    static let noTransactionsMessage = "Samsa does not support transactions yet: use an idempotent producer without transactional.id"

    func handle(_ request: FindCoordinatorRequest, context: RequestContext) async throws -> FindCoordinatorResponse? {
        let listener = state.advertisedListener(for: context.listenerName)
        var error: (ErrorCode, String?) = (.noError, nil)
        if request.keyType != Self.groupKeyType {
            error = (.transactionalIdAuthorizationFailed, Self.noTransactionsMessage)
        } else {
            do {
                _ = try offsets.offsetsTopic()
            } catch {
                state.logger.error("Cannot create \(Topic.consumerOffsets): \(error)")
                return FindCoordinatorResponse(errorCode: ErrorCode.coordinatorNotAvailable.rawValue, errorMessage: error.message)
            }
        }
        let (code, message) = error
        let node = state.configuration.nodeId
        if context.apiVersion >= 4 {
            return FindCoordinatorResponse(
                coordinators: request.coordinatorKeys.map { key in
                    code == .noError
                        ? .init(key: key, nodeId: node, host: listener.host, port: Int32(listener.port), errorCode: 0, errorMessage: nil)
                        : .init(key: key, nodeId: -1, host: "", port: -1, errorCode: code.rawValue, errorMessage: message)
                })
        }
        if code != .noError {
            return FindCoordinatorResponse(errorCode: code.rawValue, errorMessage: message, nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(errorMessage: nil, nodeId: node, host: listener.host, port: Int32(listener.port))
    }
}
