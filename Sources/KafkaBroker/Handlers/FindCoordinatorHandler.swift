import KafkaProtocol
import Logging

/// FindCoordinator 0–6: this broker coordinates every group and every transactional id (batched
/// keys from v4); share groups (key type 2, v6) are not implemented and get INVALID_REQUEST.
struct FindCoordinatorHandler: ApiHandler {
    let state: BrokerState
    let offsets: OffsetStore
    let transactionStore: TransactionTopicStore
    let versions: ClosedRange<Int16> = 0...6

    private static let groupKeyType: Int8 = 0
    private static let transactionKeyType: Int8 = 1

    func handle(_ request: FindCoordinatorRequest, context: RequestContext) async throws -> FindCoordinatorResponse? {
        let listener = state.advertisedListener(for: context.listenerName)
        var error: (ErrorCode, String?) = (.noError, nil)
        if request.keyType != Self.groupKeyType && request.keyType != Self.transactionKeyType {
            error = (.invalidRequest, "Unknown coordinator key type \(request.keyType)")
        } else {
            let isGroup = request.keyType == Self.groupKeyType
            do {
                _ = try isGroup ? offsets.offsetsTopic() : transactionStore.stateTopic()
            } catch {
                state.logger.error("Cannot create \(isGroup ? Topic.consumerOffsets : Topic.transactionState): \(error)")
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
