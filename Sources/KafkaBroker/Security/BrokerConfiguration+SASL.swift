extension BrokerConfiguration {
    /// What the SASL listener accepts, or nil when the listener does not use SASL. Throws when
    /// `sasl.enabled.mechanisms` names a mechanism Samsa lacks (Kafka's default, GSSAPI, among
    /// them) or PLAIN has no PlainLoginModule line for the listener.
    func saslSessionSettings(
        for listener: KafkaListener, credentials: @escaping @Sendable (String, ScramMechanism) -> ScramCredential?
    ) throws(BrokerConfigurationError) -> SaslServerSession.Settings? {
        guard listener.securityProtocol.requiresSASL else { return nil }
        var mechanisms: [SaslMechanism] = []
        for name in saslEnabledMechanisms {
            guard let mechanism = SaslMechanism(rawValue: name) else {
                let supported = SaslMechanism.allCases.map(\.rawValue).joined(separator: ", ")
                throw BrokerConfigurationError(
                    key: "sasl.enabled.mechanisms",
                    message:
                        "\(name) is not supported by Samsa (supported: \(supported)); the \(listener.name) listener cannot start"
                )
            }
            mechanisms.append(mechanism)
        }
        guard !mechanisms.isEmpty else {
            throw BrokerConfigurationError(
                key: "sasl.enabled.mechanisms", message: "no mechanism for the \(listener.name) listener")
        }
        var plainUsers: [String: String] = [:]
        if mechanisms.contains(.plain) {
            let key = "\(listener.name.lowercased()).\(SaslMechanism.plain.configurationPrefix)"
            guard let text = saslJaasConfigs[key], let module = try? JaasLoginModule(parsing: text),
                module.className == JaasLoginModule.plainLoginModule
            else {
                throw BrokerConfigurationError(
                    key: "listener.name.\(key).sasl.jaas.config",
                    message: "PLAIN is enabled but this listener has no \(JaasLoginModule.plainLoginModule) line with its users")
            }
            plainUsers = module.plainUsers
        }
        return SaslServerSession.Settings(
            enabledMechanisms: mechanisms, plainUsers: plainUsers, scramCredentials: credentials,
            sessionLifetimeMs: connectionsMaxReauthMs, maximumTokenBytes: Int(saslServerMaxReceiveSize),
            authenticationTimeoutMs: saslAuthenticationTimeoutMs, listenerName: listener.name.lowercased())
    }
}
