import FoundationEssentials
import KafkaBroker

/// The client side of a SCRAM exchange (RFC 5802), for tests that authenticate over raw frames.
public struct ScramTestClient: Sendable {
    public let mechanism: ScramMechanism
    public let user: String
    private let password: String
    private let clientNonce: String
    private var serverSignature: [UInt8] = []

    public init(mechanism: ScramMechanism, user: String, password: String, clientNonce: String = "samsa-test-client-nonce") {
        self.mechanism = mechanism
        self.user = user
        self.password = password
        self.clientNonce = clientNonce
    }

    private var clientFirstBare: String { "n=\(ScramServerExchange.encodeSaslName(user)),r=\(clientNonce)" }

    public var clientFirst: [UInt8] { Array("n,,\(clientFirstBare)".utf8) }

    /// The client-final message for the server-first one; remembers the signature to expect.
    public mutating func clientFinal(serverFirst: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: serverFirst, as: UTF8.self)
        var fields: [Substring: Substring] = [:]
        for attribute in text.split(separator: ",") {
            guard let equals = attribute.firstIndex(of: "=") else { continue }
            fields[attribute[..<equals]] = attribute[attribute.index(after: equals)...]
        }
        guard let nonce = fields["r"], nonce.hasPrefix(clientNonce), let saltText = fields["s"],
            let salt = Data(base64Encoded: String(saltText)), let iterations = fields["i"].flatMap({ Int32($0) })
        else { throw TestFailure("not a server-first message: \(text)") }
        let saltedPassword = try mechanism.saltedPassword(password: password, salt: Array(salt), iterations: iterations)
        let clientKey = mechanism.hmac(key: saltedPassword, Array("Client Key".utf8))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
        let clientSignature = mechanism.hmac(key: mechanism.hash(clientKey), authMessage)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        serverSignature = mechanism.hmac(key: mechanism.hmac(key: saltedPassword, Array("Server Key".utf8)), authMessage)
        return Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8)
    }

    /// Whether the server-final message proves that the server knew the credential.
    public func verifies(serverFinal: [UInt8]) -> Bool {
        String(decoding: serverFinal, as: UTF8.self) == "v=\(Data(serverSignature).base64EncodedString())"
    }
}
