import KafkaScram

/// SCRAM-SHA-256 or SCRAM-SHA-512 (RFC 5802, RFC 7677): the hash every SCRAM computation uses.
public enum ScramMechanism: Int8, Sendable, Hashable, CaseIterable {
    // The raw values are Kafka's ScramMechanism codes in the AlterUserScramCredentials and
    // DescribeUserScramCredentials APIs.
    case sha256 = 1
    case sha512 = 2

    /// Kafka's minimum iteration count, for credentials and for what the server asks of clients.
    public static let minimumIterations: Int32 = 4096
    /// Kafka refuses more (AlterUserScramCredentials: "Too many iterations").
    public static let maximumIterations: Int32 = 16384

    public var saslMechanism: SaslMechanism {
        switch self {
        case .sha256: .scramSHA256
        case .sha512: .scramSHA512
        }
    }

    public var name: String { saslMechanism.rawValue }

    /// The hash and the functions of RFC 5802 this mechanism computes with.
    public var digest: ScramDigest {
        switch self {
        case .sha256: .sha256
        case .sha512: .sha512
        }
    }

    /// HMAC(key, message) with this mechanism's hash.
    public func hmac(key: some Sequence<UInt8>, _ message: some Sequence<UInt8>) -> [UInt8] { digest.hmac(key: key, message) }

    /// H(message).
    public func hash(_ message: some Sequence<UInt8>) -> [UInt8] { digest.hash(message) }

    /// Hi(password, salt, iterations) of RFC 5802.
    public func saltedPassword(password: String, salt: [UInt8], iterations: Int32) throws -> [UInt8] {
        try digest.saltedPassword(password: password, salt: salt, iterations: iterations)
    }
}
