import KafkaProtocol
import KafkaScram
import NIOCore

/// The SASL side of a client's connections, from kafka-python's `sasl_*` options: SaslHandshake v1
/// then SaslAuthenticate, once per connection right after ApiVersions, as Kafka's clients do.
struct ClientSASL: Sendable {
    let mechanism: KafkaSaslMechanism
    let username: String
    let password: String

    /// Authenticates `connection`; a refusal is an `authenticationFailed` error carrying the
    /// broker's message, and the caller closes the connection.
    func authenticate(_ connection: BrokerConnection) async throws(KafkaError) {
        let handshake = try await connection.send(SaslHandshakeRequest(mechanism: mechanism.rawValue))
        if handshake.errorCode != 0 {
            let enabled = handshake.mechanisms.isEmpty ? "none" : handshake.mechanisms.joined(separator: ", ")
            throw refusal(
                ErrorCode(rawValue: handshake.errorCode),
                "\(connection.description) does not enable \(mechanism.rawValue) (it enables \(enabled))",
                brokerMessage: nil)
        }
        switch mechanism {
        case .plain:
            _ = try await exchange(Array("\u{0}\(username)\u{0}\(password)".utf8), on: connection)
        case .scramSHA256, .scramSHA512:
            var scram = ScramClientExchange(digest: mechanism == .scramSHA256 ? .sha256 : .sha512, user: username, password: password)
            let serverFirst = try await exchange(scram.clientFirst, on: connection)
            let clientFinal: [UInt8]
            do {
                clientFinal = try scram.clientFinal(serverFirst: serverFirst)
            } catch {
                throw scramFailure(error, on: connection)
            }
            let serverFinal = try await exchange(clientFinal, on: connection)
            do {
                try scram.verify(serverFinal: serverFinal)
            } catch {
                throw scramFailure(error, on: connection)
            }
        }
    }

    /// One SaslAuthenticate round trip: sends `token`, returns the broker's.
    private func exchange(_ token: [UInt8], on connection: BrokerConnection) async throws(KafkaError) -> [UInt8] {
        let response = try await connection.send(SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: token)))
        guard response.errorCode == 0 else {
            let message = response.errorMessage ?? ""
            throw refusal(
                ErrorCode(rawValue: response.errorCode),
                "\(connection.description) refused \(username) with \(mechanism.rawValue)\(message.isEmpty ? "" : ": \(message)")",
                brokerMessage: message.isEmpty ? nil : message)
        }
        return Array(buffer: response.authBytes)
    }

    /// A server-first or server-final message the SCRAM client cannot accept: the broker does not
    /// know the credential, or is not who it claims.
    private func scramFailure(_ error: ScramClientError, on connection: BrokerConnection) -> KafkaError {
        refusal(.saslAuthenticationFailed, "\(mechanism.rawValue) with \(connection.description) failed: \(error)", brokerMessage: nil)
    }

    private func refusal(_ errorCode: ErrorCode, _ message: String, brokerMessage: String?) -> KafkaError {
        var error = KafkaError(.authenticationFailed, message, errorCode: errorCode)
        error.brokerMessage = brokerMessage
        return error
    }
}

extension ClientConnectionOptions {
    /// The SASL settings for `security_protocol` SASL_PLAINTEXT and SASL_SSL; nil for the others.
    func clientSASL() throws(KafkaError) -> ClientSASL? {
        let security = self.security
        guard security.securityProtocol.usesSASL else { return nil }
        let jaas = security.saslJaasConfig.flatMap(KafkaSecurityOptions.jaasLogin)
        guard let username = security.saslPlainUsername ?? jaas?.username, let password = security.saslPlainPassword ?? jaas?.password
        else {
            throw KafkaError.invalidConfiguration(
                "security_protocol \(security.securityProtocol.rawValue) needs sasl_plain_username and sasl_plain_password")
        }
        return ClientSASL(mechanism: security.saslMechanism, username: username, password: password)
    }
}
