/// What the broker keeps of a SCRAM user (RFC 5802 section 3): never the password, only the salt,
/// the iteration count and the two keys derived from the salted password.
public struct ScramCredential: Sendable, Equatable {
    public var salt: [UInt8]
    public var iterations: Int32
    /// H(HMAC(SaltedPassword, "Client Key")): checks the client's proof.
    public var storedKey: [UInt8]
    /// HMAC(SaltedPassword, "Server Key"): signs the server's final message.
    public var serverKey: [UInt8]

    public init(salt: [UInt8], iterations: Int32, storedKey: [UInt8], serverKey: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// The keys of a salted password, as AlterUserScramCredentials carries it (the admin client
    /// salts; the password never reaches the broker).
    public init(mechanism: ScramMechanism, saltedPassword: [UInt8], salt: [UInt8], iterations: Int32) {
        let clientKey = mechanism.hmac(key: saltedPassword, Array("Client Key".utf8))
        self.init(
            salt: salt, iterations: iterations, storedKey: mechanism.hash(clientKey),
            serverKey: mechanism.hmac(key: saltedPassword, Array("Server Key".utf8)))
    }

    /// Salts and derives a password, for the first admin created before start and for tools.
    public init(
        mechanism: ScramMechanism, password: String, salt: [UInt8] = ScramCredential.randomSalt(),
        iterations: Int32 = ScramMechanism.minimumIterations
    ) throws {
        let saltedPassword = try mechanism.saltedPassword(password: password, salt: salt, iterations: iterations)
        self.init(mechanism: mechanism, saltedPassword: saltedPassword, salt: salt, iterations: iterations)
    }

    /// 32 random bytes, as long as Kafka's salts.
    public static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Compares secrets in time that depends only on their length, so that a wrong guess does not
/// reveal how many leading bytes were right.
func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}
