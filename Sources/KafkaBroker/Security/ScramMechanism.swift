import Crypto
import CryptoExtras

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

    /// HMAC(key, message) with this mechanism's hash.
    public func hmac(key: some Sequence<UInt8>, _ message: some Sequence<UInt8>) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: Array(key))
        let data = Array(message)
        switch self {
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: symmetricKey))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: symmetricKey))
        }
    }

    /// H(message).
    public func hash(_ message: some Sequence<UInt8>) -> [UInt8] {
        let data = Array(message)
        switch self {
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha512: return Array(SHA512.hash(data: data))
        }
    }

    /// Hi(password, salt, iterations) of RFC 5802, which is PBKDF2 with this mechanism's HMAC.
    public func saltedPassword(password: String, salt: [UInt8], iterations: Int32) throws -> [UInt8] {
        let outputLength = self == .sha256 ? 32 : 64
        // RFC 5802 and Kafka use 4096 rounds; swift-crypto's checked overload wants many more,
        // which is right for password storage but not what SCRAM clients compute.
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: self == .sha256 ? .sha256 : .sha512, outputByteCount: outputLength,
            unsafeUncheckedRounds: Int(iterations))
        return key.withUnsafeBytes { Array($0) }
    }
}
