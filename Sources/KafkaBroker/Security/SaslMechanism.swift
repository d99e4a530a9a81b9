/// The SASL mechanisms Samsa's broker implements, named as in `sasl.enabled.mechanisms`.
public enum SaslMechanism: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case plain = "PLAIN"
    case scramSHA256 = "SCRAM-SHA-256"
    case scramSHA512 = "SCRAM-SHA-512"

    /// The SCRAM variant, or nil for PLAIN.
    public var scram: ScramMechanism? {
        switch self {
        case .plain: nil
        case .scramSHA256: .sha256
        case .scramSHA512: .sha512
        }
    }

    /// The mechanism's name in lower case, as it appears in `listener.name.<listener>.<mechanism>.` keys.
    public var configurationPrefix: String { rawValue.lowercased() }

    public var description: String { rawValue }
}
