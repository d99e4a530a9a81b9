import Crypto
import CryptoExtras
import FoundationEssentials

/// The hash of SCRAM-SHA-256 or SCRAM-SHA-512 (RFC 5802, RFC 7677) and the three functions every
/// SCRAM computation is made of, shared by the broker's server side and the SDK's client side.
public enum ScramDigest: Sendable, Hashable, CaseIterable {
    case sha256
    case sha512

    /// The SASL mechanism name, as Kafka's `sasl.mechanism` spells it.
    public var mechanismName: String {
        switch self {
        case .sha256: "SCRAM-SHA-256"
        case .sha512: "SCRAM-SHA-512"
        }
    }

    /// HMAC(key, message) with this hash.
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

    /// Hi(password, salt, iterations) of RFC 5802, which is PBKDF2 with this hash's HMAC.
    public func saltedPassword(password: String, salt: [UInt8], iterations: Int32) throws -> [UInt8] {
        let outputLength = self == .sha256 ? 32 : 64
        // RFC 5802 and Kafka use 4096 rounds; swift-crypto's checked overload wants many more,
        // which is right for password storage but not what SCRAM clients compute.
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: self == .sha256 ? .sha256 : .sha512, outputByteCount: outputLength,
            unsafeUncheckedRounds: Int(iterations))
        return key.withUnsafeBytes { Array($0) }
    }

    /// 24 random bytes in base64: printable and without commas, as RFC 5802's `nonce` requires.
    public static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }
}
