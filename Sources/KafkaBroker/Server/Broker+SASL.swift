import KafkaProtocol
import Logging
import NIOCore

/// The answer of the SASL gate to one frame of a connection on a SASL listener.
struct SaslGateResult {
    /// The encoded response frame, size prefix included; nil sends nothing.
    var response: ByteBuffer?
    /// Why the connection closes after the response, if it does.
    var closeReason: String?
}

extension Broker {
    /// Lets one frame of a SASL listener's connection through the gate: SaslHandshake,
    /// SaslAuthenticate and legacy raw tokens are answered here (nil `request` means the frame
    /// is a raw token); nil means the request goes on to the router.
    func passSaslGate(
        _ frame: ByteBuffer, request: KafkaRequestFrame?, session: inout SaslServerSession, connectionId: UInt64, host: String
    ) throws -> SaslGateResult? {
        let nowMs = WallClock.milliseconds()
        if session.principal == nil, frame.readableBytes > session.settings.maximumTokenBytes {
            let reason =
                "a frame of \(frame.readableBytes) bytes before authentication (sasl.server.max.receive.size is \(session.settings.maximumTokenBytes))"
            record(.failed(nil, user: nil, reason: reason), listener: session.settings.listenerName, connectionId: connectionId, host: host)
            return SaslGateResult(response: nil, closeReason: reason)
        }
        guard let request else {
            let step = session.receive(rawToken: frame.getBytes(at: frame.readerIndex, length: frame.readableBytes) ?? [], nowMs: nowMs)
            return result(of: step, request: nil, listener: session.settings.listenerName, connectionId: connectionId, host: host)
        }
        switch session.admission(of: request.apiKey, nowMs: nowMs) {
        case .route:
            return nil
        case .close(let reason):
            return SaslGateResult(response: nil, closeReason: reason)
        case .authenticate:
            let step: SaslServerSession.Step
            do {
                if request.apiKey == .saslHandshake, SaslHandshakeHandler().versions.contains(request.apiVersion) {
                    step = session.receive(try request.decodeBody(SaslHandshakeRequest.self), version: request.apiVersion)
                } else if request.apiKey == .saslAuthenticate, SaslAuthenticateHandler().versions.contains(request.apiVersion) {
                    step = session.receive(
                        try request.decodeBody(SaslAuthenticateRequest.self), version: request.apiVersion, nowMs: nowMs)
                } else {
                    return SaslGateResult(response: nil, closeReason: "unsupported version \(request.apiVersion) of \(request.apiKey)")
                }
            } catch {
                return SaslGateResult(response: nil, closeReason: "malformed \(request.apiKey) request: \(error)")
            }
            return result(of: step, request: request, listener: session.settings.listenerName, connectionId: connectionId, host: host)
        }
    }

    /// Closes a connection that has not logged in within `sasl.authentication.timeout.ms`; the
    /// serve loop cancels the returned task once the session has a principal.
    func closeUnlessAuthenticated(
        _ channel: any Channel, id: UInt64, host: String, within settings: SaslServerSession.Settings
    ) -> Scheduled<Void> {
        channel.eventLoop.scheduleTask(in: .milliseconds(settings.authenticationTimeoutMs)) {
            self.logger.info(
                "Closing connection \(id) from \(host): not authenticated within sasl.authentication.timeout.ms (\(settings.authenticationTimeoutMs) ms)"
            )
            self.state.metrics.recordAuthentication(mechanism: nil, listener: settings.listenerName, succeeded: false)
            channel.close(promise: nil)
        }
    }

    private func result(
        of step: SaslServerSession.Step, request: KafkaRequestFrame?, listener: String, connectionId: UInt64, host: String
    ) -> SaslGateResult {
        var response: ByteBuffer?
        switch step.reply {
        case .handshake(let body):
            response = encode(body, for: request)
        case .authenticate(let body):
            response = encode(body, for: request)
        case .rawToken(let bytes):
            var buffer = ByteBuffer()
            buffer.writeInteger(Int32(bytes.count))
            buffer.writeBytes(bytes)
            response = buffer
        case .none:
            break
        }
        var closeReason: String?
        if let outcome = step.outcome {
            record(outcome, listener: listener, connectionId: connectionId, host: host)
            if case .failed(_, _, let reason) = outcome, step.closesConnection { closeReason = "SASL authentication failed: \(reason)" }
        }
        if step.closesConnection, closeReason == nil { closeReason = "SASL exchange ended" }
        return SaslGateResult(response: response, closeReason: closeReason)
    }

    private func encode(_ message: some KafkaResponseMessage, for request: KafkaRequestFrame?) -> ByteBuffer? {
        guard let request else { return nil }
        var buffer = ByteBuffer()
        KafkaMessageCodec.encodeResponse(message, version: request.apiVersion, correlationId: request.correlationId, into: &buffer)
        return buffer
    }

    /// Counts the attempt and logs a failure as one structured line.
    private func record(_ outcome: SaslServerSession.Outcome, listener: String, connectionId: UInt64, host: String) {
        switch outcome {
        case .succeeded(let principal, let mechanism):
            state.metrics.recordAuthentication(mechanism: mechanism, listener: listener, succeeded: true)
            logger.debug("Connection \(connectionId) from \(host) authenticated as \(principal) with \(mechanism)")
        case .failed(let mechanism, let user, let reason):
            state.metrics.recordAuthentication(mechanism: mechanism, listener: listener, succeeded: false)
            logger.warning(
                "Failed authentication",
                metadata: [
                    "connection": "\(connectionId)", "client": "\(host)", "listener": "\(listener)",
                    "mechanism": "\(mechanism?.rawValue ?? "none")", "user": "\(user ?? "")", "reason": "\(reason)",
                ])
        }
    }
}
