import FoundationEssentials

/// Why a client's SCRAM exchange cannot go on; the message says what the server sent.
public struct ScramClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The client side of one SCRAM exchange (RFC 5802, RFC 7677): client-first, then the
/// client-final for the server-first, then a check of the server-final's signature. Pure: the
/// messages travel in SaslAuthenticate requests sent by the caller.
public struct ScramClientExchange: Sendable {
    /// Kafka's clients refuse a server that asks for fewer iterations (ScramSaslClient).
    public static let minimumIterations: Int32 = 4096

    public let digest: ScramDigest
    public let user: String
    private let password: String
    private let clientNonce: String
    /// The server's signature the server-final must carry; known once the client-final is made.
    private var expectedServerSignature: [UInt8]?

    public init(digest: ScramDigest, user: String, password: String, clientNonce: String = ScramDigest.randomNonce()) {
        self.digest = digest
        self.user = user
        self.password = password
        self.clientNonce = clientNonce
    }

    private var clientFirstBare: String { "n=\(Self.encodeSaslName(user)),r=\(clientNonce)" }

    /// `n,,n=user,r=nonce`: no channel binding and no authorization id, as Kafka's clients send.
    public var clientFirst: [UInt8] { Array("n,,\(clientFirstBare)".utf8) }

    /// The client-final message (`c=biws,r=…,p=ClientProof`) for the server-first one.
    public mutating func clientFinal(serverFirst: [UInt8]) throws(ScramClientError) -> [UInt8] {
        let text = String(decoding: serverFirst, as: UTF8.self)
        let fields = Self.attributes(text)
        if let error = fields["e"] { throw ScramClientError("the server refused the exchange: \(error)") }
        guard let nonce = fields["r"], let saltText = fields["s"], let iterationsText = fields["i"] else {
            throw ScramClientError("not a server-first message: \(text)")
        }
        guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw ScramClientError("the server's nonce does not extend the client's")
        }
        guard let salt = Data(base64Encoded: String(saltText)), let iterations = Int32(iterationsText) else {
            throw ScramClientError("not a server-first message: \(text)")
        }
        guard iterations >= Self.minimumIterations else {
            throw ScramClientError("the server asks for \(iterations) iterations, fewer than \(Self.minimumIterations)")
        }
        let saltedPassword: [UInt8]
        do {
            saltedPassword = try digest.saltedPassword(password: password, salt: Array(salt), iterations: iterations)
        } catch {
            throw ScramClientError("the salted password cannot be computed: \(error)")
        }
        let clientKey = digest.hmac(key: saltedPassword, Array("Client Key".utf8))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
        let clientSignature = digest.hmac(key: digest.hash(clientKey), authMessage)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        expectedServerSignature = digest.hmac(key: digest.hmac(key: saltedPassword, Array("Server Key".utf8)), authMessage)
        return Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8)
    }

    /// Checks that the server-final message proves the server knew the credential.
    public func verify(serverFinal: [UInt8]) throws(ScramClientError) {
        let text = String(decoding: serverFinal, as: UTF8.self)
        let fields = Self.attributes(text)
        if let error = fields["e"] { throw ScramClientError("the server refused the exchange: \(error)") }
        guard let expectedServerSignature, let signature = fields["v"].flatMap({ Data(base64Encoded: String($0)) }),
            Array(signature) == expectedServerSignature
        else { throw ScramClientError("the server's signature is wrong: the server does not know this user's credential") }
    }

    /// RFC 5802's `saslname`: a comma becomes `=2C` and an equals sign `=3D`.
    public static func encodeSaslName(_ name: String) -> String {
        name.replacing("=", with: "=3D").replacing(",", with: "=2C")
    }

    /// `a=1,b=2` as a map from each attribute's letter to its value (values may hold `=`).
    private static func attributes(_ text: String) -> [Substring: Substring] {
        var fields: [Substring: Substring] = [:]
        for attribute in text.split(separator: ",") {
            guard let equals = attribute.firstIndex(of: "=") else { continue }
            fields[attribute[..<equals]] = attribute[attribute.index(after: equals)...]
        }
        return fields
    }
}
