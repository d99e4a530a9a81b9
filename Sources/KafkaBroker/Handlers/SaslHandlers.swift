import KafkaProtocol

/// SaslHandshake 0–1 where no SASL exchange may start: on a listener without SASL, or on an
/// authenticated connection. Connections of a SASL listener have their handshakes answered by
/// their `SaslServerSession` before requests reach the router; this answers the rest, as Kafka
/// does, with ILLEGAL_SASL_STATE.
struct SaslHandshakeHandler: ApiHandler {
    let versions: ClosedRange<Int16> = 0...1

    func handle(_ request: SaslHandshakeRequest, context: RequestContext) async throws -> SaslHandshakeResponse? {
        SaslHandshakeResponse(errorCode: ErrorCode.illegalSaslState.rawValue, mechanisms: [])
    }
}

/// SaslAuthenticate 0–2 outside a SASL exchange (see `SaslHandshakeHandler`).
struct SaslAuthenticateHandler: ApiHandler {
    let versions: ClosedRange<Int16> = 0...2

    func handle(_ request: SaslAuthenticateRequest, context: RequestContext) async throws -> SaslAuthenticateResponse? {
        SaslAuthenticateResponse(
            errorCode: ErrorCode.illegalSaslState.rawValue, errorMessage: "Unexpected SASL request on this connection")
    }
}
