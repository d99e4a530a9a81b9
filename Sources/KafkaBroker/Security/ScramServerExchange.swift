import FoundationEssentials
import KafkaScram

/// Why a SCRAM exchange failed, named by RFC 5802's `server-error-value`s (what a server sends as
/// `e=`); Kafka answers each with SASL_AUTHENTICATION_FAILED and its own message instead.
public enum ScramError: String, Error, Sendable, Equatable {
    case invalidEncoding = "invalid-encoding"
    case extensionsNotSupported = "extensions-not-supported"
    case invalidProof = "invalid-proof"
    case channelBindingsDontMatch = "channel-bindings-dont-match"
    case serverDoesSupportChannelBinding = "server-does-support-channel-binding"
    case channelBindingNotSupported = "channel-binding-not-supported"
    case unknownUser = "unknown-user"
    case invalidUsernameEncoding = "invalid-username-encoding"
    case otherError = "other-error"

    /// The server-final message that reports this error (RFC 5802 section 7).
    public var serverErrorMessage: String { "e=\(rawValue)" }
}

/// The server side of one SCRAM exchange (RFC 5802, RFC 7677): client-first, server-first,
/// client-final, server-final. Pure: the credential lookup and the nonce come from outside.
public struct ScramServerExchange: Sendable {
    /// What the exchange has seen so far.
    private enum Stage: Sendable {
        case awaitingClientFirst
        case awaitingClientFinal(ClientFirst, serverFirst: String, nonce: String, credential: ScramCredential)
        case finished
    }

    /// The parts of a client-first message the rest of the exchange needs.
    struct ClientFirst: Sendable, Equatable {
        /// `n,,` or `y,,` (or with `a=authzid`), whose base64 the client-final's `c=` must carry.
        var gs2Header: String
        var authorizationId: String?
        var username: String
        var clientNonce: String
        /// `n=…,r=…[,ext]`: the part of the message that enters the AuthMessage.
        var bare: String
    }

    public let mechanism: ScramMechanism
    private let serverNonce: String
    private var stage: Stage = .awaitingClientFirst
    /// The user whose proof was verified; nil until the exchange succeeds.
    public private(set) var authenticatedUser: String?
    /// The user the client-first message named, for the log of a failed attempt.
    public private(set) var attemptedUser: String?

    /// Whether the next message is the client-first one.
    public var isAwaitingClientFirst: Bool {
        if case .awaitingClientFirst = stage { return true }
        return false
    }

    public init(mechanism: ScramMechanism, serverNonce: String = ScramDigest.randomNonce()) {
        self.mechanism = mechanism
        self.serverNonce = serverNonce
    }

    /// Takes the client-first message and answers the server-first (`r=…,s=…,i=…`). `credential`
    /// looks a user up; nil is an unknown user.
    public mutating func receiveClientFirst(
        _ message: [UInt8], credential: (String) -> ScramCredential?
    ) throws(ScramError) -> [UInt8] {
        guard case .awaitingClientFirst = stage else { throw fail(.otherError) }
        stage = .finished
        let clientFirst = try Self.parseClientFirst(message)
        attemptedUser = clientFirst.username
        if let authorizationId = clientFirst.authorizationId, authorizationId != clientFirst.username {
            // Kafka: "Authorization id ... is not the same as the user name"; acting as another user is not supported.
            throw .otherError
        }
        guard let stored = credential(clientFirst.username) else { throw .unknownUser }
        let nonce = clientFirst.clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(Data(stored.salt).base64EncodedString()),i=\(stored.iterations)"
        stage = .awaitingClientFinal(clientFirst, serverFirst: serverFirst, nonce: nonce, credential: stored)
        return Array(serverFirst.utf8)
    }

    /// Takes the client-final message, checks the channel binding, the nonce and the proof, and
    /// answers the server-final (`v=ServerSignature`).
    public mutating func receiveClientFinal(_ message: [UInt8]) throws(ScramError) -> [UInt8] {
        guard case .awaitingClientFinal(let clientFirst, let serverFirst, let nonce, let credential) = stage else {
            throw fail(.otherError)
        }
        stage = .finished
        guard let text = String(validating: message, as: UTF8.self) else { throw .invalidEncoding }
        let attributes = text.split(separator: ",", omittingEmptySubsequences: false)
        guard attributes.count >= 3, let proofAttribute = attributes.last, proofAttribute.hasPrefix("p="),
            attributes[0].hasPrefix("c="), attributes[1].hasPrefix("r=")
        else { throw .invalidEncoding }
        guard let channelBinding = Data(base64Encoded: String(attributes[0].dropFirst(2))) else { throw .invalidEncoding }
        guard Array(channelBinding) == Array(clientFirst.gs2Header.utf8) else { throw .channelBindingsDontMatch }
        // Kafka only checks that the nonce ends with the one it sent (ScramSaslServer's endsWith):
        // librdkafka 2.0 (Debian's kcat) sends its own nonce in front of the combined one.
        guard attributes[1].dropFirst(2).hasSuffix(nonce) else { throw .otherError }
        guard let proof = Data(base64Encoded: String(proofAttribute.dropFirst(2))).map(Array.init) else { throw .invalidEncoding }
        let withoutProof = attributes.dropLast().joined(separator: ",")
        let authMessage = Array("\(clientFirst.bare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = mechanism.hmac(key: credential.storedKey, authMessage)
        guard proof.count == clientSignature.count else { throw .invalidProof }
        let clientKey = zip(proof, clientSignature).map { $0 ^ $1 }
        guard constantTimeEquals(mechanism.hash(clientKey), credential.storedKey) else { throw .invalidProof }
        authenticatedUser = clientFirst.username
        let serverSignature = mechanism.hmac(key: credential.serverKey, authMessage)
        return Array("v=\(Data(serverSignature).base64EncodedString())".utf8)
    }

    private mutating func fail(_ error: ScramError) -> ScramError {
        stage = .finished
        return error
    }

    /// Parses `gs2-header client-first-message-bare` (RFC 5802 section 7).
    static func parseClientFirst(_ message: [UInt8]) throws(ScramError) -> ClientFirst {
        guard let text = String(validating: message, as: UTF8.self) else { throw .invalidEncoding }
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalidEncoding }
        switch parts[0] {
        case "n", "y": break
        case let flag where flag.hasPrefix("p="): throw .channelBindingNotSupported
        default: throw .invalidEncoding
        }
        var authorizationId: String?
        if !parts[1].isEmpty {
            guard parts[1].hasPrefix("a=") else { throw .invalidEncoding }
            authorizationId = try decodeSaslName(parts[1].dropFirst(2))
        }
        let bare = parts[2]
        let attributes = bare.split(separator: ",", omittingEmptySubsequences: false)
        guard attributes.count >= 2 else { throw .invalidEncoding }
        if attributes[0].hasPrefix("m=") { throw .extensionsNotSupported }
        guard attributes[0].hasPrefix("n="), attributes[1].hasPrefix("r=") else { throw .invalidEncoding }
        let username = try decodeSaslName(attributes[0].dropFirst(2))
        let clientNonce = attributes[1].dropFirst(2)
        guard !username.isEmpty, !clientNonce.isEmpty, clientNonce.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidEncoding
        }
        // Optional extensions (Kafka's tokenauth=true among them) must at least be attr=value.
        for extensionAttribute in attributes.dropFirst(2) {
            guard extensionAttribute.contains("=") else { throw .invalidEncoding }
        }
        return ClientFirst(
            gs2Header: "\(parts[0]),\(parts[1]),", authorizationId: authorizationId, username: username,
            clientNonce: String(clientNonce), bare: String(bare))
    }

    /// RFC 5802's `saslname`: `=2C` stands for a comma and `=3D` for an equals sign; any other
    /// `=` is malformed.
    static func decodeSaslName(_ name: Substring) throws(ScramError) -> String {
        var decoded = ""
        var index = name.startIndex
        while index < name.endIndex {
            let character = name[index]
            if character == "," { throw .invalidUsernameEncoding }
            if character == "=" {
                let escape = name[index...].prefix(3)
                switch escape {
                case "=2C": decoded.append(",")
                case "=3D": decoded.append("=")
                default: throw .invalidUsernameEncoding
                }
                index = name.index(index, offsetBy: 3)
            } else {
                decoded.append(character)
                index = name.index(after: index)
            }
        }
        return decoded
    }
}
