import KafkaBroker
import KafkaProtocol
import KafkaScram
import NIOCore

extension RawKafkaConnection {
    /// Why a SASL exchange over a raw connection did not succeed.
    public struct SaslFailure: Error, CustomStringConvertible {
        public var code: Int16
        public var message: String?
        public var description: String { "\(ErrorCode(rawValue: code)): \(message ?? "")" }
    }

    /// SaslHandshake v1 then SaslAuthenticate (v2 unless told) with one PLAIN token.
    public mutating func authenticatePlain(user: String, password: String, version: Int16 = 2) async throws -> SaslAuthenticateResponse {
        try await handshake(mechanism: "PLAIN")
        return try await saslAuthenticate(Array("\u{0}\(user)\u{0}\(password)".utf8), version: version)
    }

    /// SaslHandshake v1 then the two SaslAuthenticate round trips of SCRAM; checks the server's signature.
    public mutating func authenticateScram(mechanism: ScramMechanism, user: String, password: String) async throws {
        try await handshake(mechanism: mechanism.name)
        var client = ScramClientExchange(digest: mechanism.digest, user: user, password: password)
        let serverFirst = try await saslAuthenticate(client.clientFirst, version: 2).authBytes
        let serverFinal = try await saslAuthenticate(try client.clientFinal(serverFirst: Array(buffer: serverFirst)), version: 2).authBytes
        try client.verify(serverFinal: Array(buffer: serverFinal))
    }

    public mutating func handshake(mechanism: String, version: Int16 = 1) async throws {
        let response = try await roundTrip(SaslHandshakeRequest(mechanism: mechanism), version: version)
        guard response.errorCode == 0 else {
            throw SaslFailure(code: response.errorCode, message: response.mechanisms.joined(separator: ","))
        }
    }

    /// One SaslAuthenticate round trip; throws `SaslFailure` on an error code.
    public mutating func saslAuthenticate(_ token: [UInt8], version: Int16) async throws -> SaslAuthenticateResponse {
        let response = try await roundTrip(SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: token)), version: version)
        guard response.errorCode == 0 else { throw SaslFailure(code: response.errorCode, message: response.errorMessage) }
        return response
    }

    /// A token in the legacy framing that follows a v0 handshake: size-prefixed bytes, no header.
    public mutating func sendRawToken(_ token: [UInt8]) async throws {
        var frame = ByteBuffer()
        frame.writeInteger(Int32(token.count))
        frame.writeBytes(token)
        try await sendBytes(frame)
    }
}
