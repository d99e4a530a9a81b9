import FoundationEssentials
import NIOSSL

/// Why a TLS listener cannot start: one line naming the setting and what is wrong with it.
public struct TLSSetupError: Error, Equatable, CustomStringConvertible {
    public var listener: String
    public var message: String

    public var description: String { "Cannot set up TLS for listener \(listener): \(message)" }
}

/// Builds the TLS server side of a listener from Kafka's `ssl.*` settings (after its
/// `listener.name.<name>.ssl.*` overrides).
enum TLSServerContext {
    static func make(listener: String, settings: BrokerConfiguration) throws(TLSSetupError) -> NIOSSLContext {
        func failure(_ message: String) -> TLSSetupError { TLSSetupError(listener: listener, message: message) }
        let (chain, key) = try keystore(settings, failure: failure)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = settings.sslEnabledProtocols.min() == .tlsv13 ? .tlsv13 : .tlsv12
        configuration.maximumTLSVersion = settings.sslEnabledProtocols.max() == .tlsv12 ? .tlsv12 : .tlsv13
        if !settings.sslCipherSuites.isEmpty {
            configuration.cipherSuites = settings.sslCipherSuites.joined(separator: ":")
        }
        switch settings.sslClientAuth {
        case .none: configuration.certificateVerification = .none
        case .requested: configuration.certificateVerification = .optionalVerification
        case .required: configuration.certificateVerification = .noHostnameVerification
        }
        if settings.sslClientAuth != .none {
            configuration.trustRoots = try truststore(settings, failure: failure)
            configuration.sendCANameList = true
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            let ciphers = settings.sslCipherSuites.isEmpty ? "" : " (check ssl.cipher.suites)"
            throw failure("the certificate, key or TLS settings are not usable together\(ciphers): \(error)")
        }
    }

    private static func keystore(
        _ settings: BrokerConfiguration, failure: (String) -> TLSSetupError
    ) throws(TLSSetupError) -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        let passphrase = settings.sslKeyPassword ?? settings.sslKeystorePassword
        switch settings.sslKeystoreType {
        case .pkcs12:
            guard let location = settings.sslKeystoreLocation else {
                throw failure("ssl.keystore.type=PKCS12 needs ssl.keystore.location")
            }
            do {
                let bundle = try NIOSSLPKCS12Bundle(
                    file: location, passphrase: (settings.sslKeystorePassword ?? settings.sslKeyPassword).map { Array($0.utf8) })
                return (bundle.certificateChain, bundle.privateKey)
            } catch {
                throw failure("ssl.keystore.location '\(location)' is not a PKCS12 keystore that ssl.keystore.password opens (\(error))")
            }
        case .pem:
            let pem: [UInt8]
            let origin: String
            if let chain = settings.sslKeystoreCertificateChain, let key = settings.sslKeystoreKey {
                pem = Array((chain + "\n" + key).utf8)
                origin = "ssl.keystore.certificate.chain and ssl.keystore.key"
            } else if let location = settings.sslKeystoreLocation {
                pem = try contents(of: location, setting: "ssl.keystore.location", failure: failure)
                origin = "ssl.keystore.location '\(location)'"
            } else {
                throw failure("set ssl.keystore.location (or ssl.keystore.certificate.chain and ssl.keystore.key)")
            }
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMBytes(pem)
            } catch {
                throw failure("\(origin) holds no PEM certificate (\(error))")
            }
            guard !certificates.isEmpty else { throw failure("\(origin) holds no PEM certificate") }
            do {
                let key =
                    if let passphrase {
                        try NIOSSLPrivateKey(bytes: pem, format: .pem) { provide in provide(Array(passphrase.utf8)) }
                    } else {
                        // Without a callback BoringSSL would prompt on the terminal for a passphrase.
                        try NIOSSLPrivateKey(bytes: pem, format: .pem) { (_: NIOSSLPassphraseSetter<[UInt8]>) in }
                    }
                return (certificates, key)
            } catch {
                let hint = passphrase == nil ? "; an encrypted key needs ssl.key.password" : " that ssl.key.password opens"
                throw failure("\(origin) holds no PEM private key\(hint) (\(error))")
            }
        }
    }

    private static func truststore(_ settings: BrokerConfiguration, failure: (String) -> TLSSetupError) throws(TLSSetupError)
        -> NIOSSLTrustRoots
    {
        if let inline = settings.sslTruststoreCertificates {
            return .certificates(try certificates(Array(inline.utf8), origin: "ssl.truststore.certificates", failure: failure))
        }
        guard let location = settings.sslTruststoreLocation else {
            throw failure(
                "ssl.client.auth=\(settings.sslClientAuth.rawValue) needs ssl.truststore.location: the CAs client certificates are checked against"
            )
        }
        guard settings.sslTruststoreType == .pem else {
            // NIOSSL's PKCS12 reader requires a private key, which a truststore does not have.
            throw failure("ssl.truststore.type=PKCS12 is not supported; give the CA certificates as PEM (ssl.truststore.type=PEM)")
        }
        let pem = try contents(of: location, setting: "ssl.truststore.location", failure: failure)
        return .certificates(try certificates(pem, origin: "ssl.truststore.location '\(location)'", failure: failure))
    }

    private static func certificates(_ pem: [UInt8], origin: String, failure: (String) -> TLSSetupError) throws(TLSSetupError)
        -> [NIOSSLCertificate]
    {
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(pem)
            guard !certificates.isEmpty else { throw failure("\(origin) holds no PEM certificate") }
            return certificates
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw failure("\(origin) holds no PEM certificate (\(error))")
        }
    }

    private static func contents(of path: String, setting: String, failure: (String) -> TLSSetupError) throws(TLSSetupError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("\(setting) '\(path)' cannot be read") }
        return Array(data)
    }
}
