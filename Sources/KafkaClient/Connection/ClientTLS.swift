import NIOSSL

/// The TLS side of a client's connections, from kafka-python's `ssl_*` options.
struct ClientTLS: Sendable {
    let context: NIOSSLContext
    let checkHostname: Bool

    /// The handler that starts a connection to `host` with a TLS handshake. The host goes into SNI
    /// and is checked against the certificate; an IP address is checked against its IP entries.
    func handler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }
}

extension ClientConnectionOptions {
    /// The TLS settings for `security_protocol` SSL and SASL_SSL; nil for the plaintext ones.
    func clientTLS() throws(KafkaError) -> ClientTLS? {
        let security = self.security
        guard security.securityProtocol.usesTLS else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = security.sslCheckHostname ? .fullVerification : .noHostnameVerification
        do {
            if let cafile = security.sslCafile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(cafile))
            }
            if let certfile = security.sslCertfile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certfile).map { .certificate($0) }
                let keyfile = security.sslKeyfile ?? certfile
                let password = Array((security.sslPassword ?? "").utf8)
                // Without a callback BoringSSL would prompt on the terminal for a passphrase.
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyfile, format: .pem) { provide in provide(password) })
            }
            return ClientTLS(context: try NIOSSLContext(configuration: configuration), checkHostname: security.sslCheckHostname)
        } catch {
            throw KafkaError.invalidConfiguration(
                "ssl_cafile, ssl_certfile, ssl_keyfile or ssl_password cannot be used: \(error)")
        }
    }
}
