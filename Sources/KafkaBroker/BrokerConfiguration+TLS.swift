extension BrokerConfiguration {
    /// `ssl.keystore.type` and `ssl.truststore.type`: the formats Samsa reads (Java's JKS is not one).
    public enum TLSStoreType: String, Sendable, Equatable {
        case pem = "PEM"
        case pkcs12 = "PKCS12"
    }

    /// `ssl.client.auth`.
    public enum TLSClientAuthentication: String, Sendable, Equatable {
        /// No client certificate is asked for.
        case none
        /// A client certificate is asked for; one that is sent must be valid.
        case requested
        /// A connection without a valid client certificate is refused.
        case required
    }

    /// An entry of `ssl.enabled.protocols`.
    public enum TLSProtocolVersion: String, Sendable, Equatable, Comparable {
        case tlsv12 = "TLSv1.2"
        case tlsv13 = "TLSv1.3"

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .tlsv12 && rhs == .tlsv13 }
    }

    /// How the README and the settings list name the per-listener overrides.
    static let listenerSSLOverridesKey = "listener.name.<name>.ssl.*"

    /// The listener name and `ssl.*` key of a `listener.name.<name>.ssl.*` key; nil for any other key.
    static func listenerSSLOverride(_ key: String) -> (listener: String, key: String)? {
        let prefix = "listener.name."
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: "."), dot != rest.startIndex else { return nil }
        let sslKey = String(rest[rest.index(after: dot)...])
        guard sslKey.hasPrefix("ssl."), settingsByKey[sslKey] != nil else { return nil }
        return (rest[..<dot].uppercased(), sslKey)
    }

    /// Every `listener.name.<name>.ssl.*` entry of `values`, by listener name.
    static func listenerSSLOverrides(in values: [String: String]) throws(BrokerConfigurationError) -> [String: [String: String]] {
        var overrides: [String: [String: String]] = [:]
        for (key, text) in values {
            guard let (listener, sslKey) = listenerSSLOverride(key) else { continue }
            overrides[listener, default: [:]][sslKey] = text
        }
        return overrides
    }

    /// This configuration with listener `name`'s `listener.name.<name>.ssl.*` overrides applied:
    /// the TLS settings that listener uses.
    public func tlsSettings(forListener name: String) throws(BrokerConfigurationError) -> BrokerConfiguration {
        var effective = self
        let listenerName = name.uppercased()
        for (key, text) in (listenerSSLOverrides[listenerName] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let setting = Self.settingsByKey[key] else { continue }
            do {
                try setting.apply(&effective, text)
            } catch {
                throw BrokerConfigurationError(key: "listener.name.\(listenerName.lowercased()).\(key)", message: error.message)
            }
        }
        return effective
    }

    /// Parses `ssl.enabled.protocols`.
    static func tlsProtocolVersions(_ text: String) throws(SettingValueError) -> [TLSProtocolVersion] {
        var versions: [TLSProtocolVersion] = []
        for name in list(text) {
            guard let version = TLSProtocolVersion(rawValue: name) else {
                throw SettingValueError(message: "'\(name)' is not TLSv1.2 or TLSv1.3 (older versions are not offered)")
            }
            versions.append(version)
        }
        guard !versions.isEmpty else { throw SettingValueError(message: "no protocol given") }
        return versions
    }

    /// Renders a secret as Kafka prints sensitive settings.
    static func hidden(_ value: String?) -> String? {
        value.map { _ in "[hidden]" }
    }
}
