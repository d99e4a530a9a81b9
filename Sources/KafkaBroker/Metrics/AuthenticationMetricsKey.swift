import Metrics

/// The labels of `samsa_authentications_total`: a bounded set (the mechanisms, or "none" when a
/// client failed before naming a supported one, times the listeners, times the result).
struct AuthenticationMetricsKey: Hashable, Sendable {
    var mechanism: String
    var listener: String
    var succeeded: Bool
}

extension BrokerMetrics {
    func recordAuthentication(mechanism: SaslMechanism?, listener: String, succeeded: Bool) {
        authentications[AuthenticationMetricsKey(mechanism: mechanism?.rawValue ?? "none", listener: listener, succeeded: succeeded)]
            .increment()
    }
}
