import Logging
import NIOSSL
import Synchronization

/// A listener as the broker serves it: its settings and, for SSL and SASL_SSL, the TLS context
/// that new connections use (replaced when the keystore is re-read).
final class ServedListener: Sendable {
    let listener: BrokerConfiguration.KafkaListener
    private let settings: BrokerConfiguration
    private let tls: Mutex<NIOSSLContext?>

    /// Reads the keystore and truststore of a TLS listener; throws the one line that says what is wrong.
    init(_ listener: BrokerConfiguration.KafkaListener, configuration: BrokerConfiguration) throws {
        self.listener = listener
        settings = try configuration.tlsSettings(forListener: listener.name)
        tls = Mutex(listener.securityProtocol.usesTLS ? try TLSServerContext.make(listener: listener.name, settings: settings) : nil)
    }

    /// The context for a connection accepted now; nil on a plaintext listener.
    var tlsContext: NIOSSLContext? { tls.withLock { $0 } }

    /// Re-reads the keystore and truststore so that new connections get the current certificate;
    /// connections already open keep theirs. On an error the previous context stays in use.
    func reloadTLS() throws(TLSSetupError) {
        guard listener.securityProtocol.usesTLS else { return }
        let context = try TLSServerContext.make(listener: listener.name, settings: settings)
        tls.withLock { $0 = context }
    }

    /// The addresses to bind: `localhost` is every loopback address a client may resolve it to
    /// (127.0.0.1 first, then ::1 where the machine has IPv6), not just the first one.
    var bindHosts: [String] {
        listener.host.lowercased() == "localhost" ? ["127.0.0.1", "::1"] : [listener.host]
    }

    /// A PLAINTEXT listener reachable from other machines.
    var isExposedPlaintext: Bool {
        listener.securityProtocol == .plaintext && !Self.isLoopback(listener.host)
    }

    static func isLoopback(_ host: String) -> Bool {
        host.lowercased() == "localhost" || host.hasPrefix("127.") || host == "::1"
    }
}

/// Who a connection is, for every request it sends: where it came in and as whom.
struct ConnectionIdentity: Sendable {
    var listenerName: String
    var securityProtocol: SecurityProtocol
    var principal: KafkaPrincipal
}
