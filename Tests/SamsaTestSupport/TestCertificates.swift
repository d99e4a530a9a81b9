import Foundation
import NIOSSL

/// Certificates for TLS tests, made with the openssl command in a new temporary folder, so that
/// nothing secret is committed: a CA, a server certificate for 127.0.0.1 and localhost (so that
/// clients can check the hostname), client certificates signed by the CA (one valid, one expired)
/// and one signed by another CA. Every key is an unencrypted PEM unless named otherwise.
public struct TestCertificates: Sendable {
    public let folder: URL
    /// The CA that signed the server and the trusted client certificates.
    public var caCertificate: String { path("ca.pem") }
    public var serverCertificate: String { path("server.pem") }
    public var serverKey: String { path("server.key") }
    /// The server's private key and then its certificate: Kafka's PEM `ssl.keystore.location`.
    public var serverKeystore: String { path("server-keystore.pem") }
    /// The same key encrypted with `keyPassword`, followed by the certificate.
    public var serverEncryptedKeystore: String { path("server-keystore-encrypted.pem") }
    /// The server's key and certificate in a PKCS12 bundle protected by `keyPassword`.
    public var serverPKCS12: String { path("server.p12") }
    public let keyPassword = "keystore-secret"
    /// A client certificate whose subject is `O=Samsa, OU=Eng, CN=carol`.
    public var clientCertificate: String { path("carol.pem") }
    public var clientKey: String { path("carol.key") }
    /// The principal Kafka gives `clientCertificate`'s holder.
    public let clientPrincipal = "User:CN=carol,OU=Eng,O=Samsa"
    /// A client certificate of the right CA whose validity ended a day before it began.
    public var expiredClientCertificate: String { path("expired.pem") }
    public var expiredClientKey: String { path("expired.key") }
    /// A client certificate signed by a CA the broker does not trust.
    public var untrustedClientCertificate: String { path("untrusted.pem") }
    public var untrustedClientKey: String { path("untrusted.key") }

    /// A client's TLS settings that trust the test CA and check the server's name, optionally
    /// showing a client certificate.
    public func clientTLS(certificate: String? = nil, key: String? = nil) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertificate))
        if let certificate, let key {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return configuration
    }

    /// Makes every certificate (about a second with EC keys); fails when openssl is missing.
    public static func make() throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificates = TestCertificates(folder: folder)
        try certificates.generate()
        return certificates
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    public func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    private func generate() throws {
        try makeAuthority("ca", subject: "/CN=Samsa Test CA")
        try makeAuthority("other-ca", subject: "/CN=Somebody Else's CA")
        let serverExtensions = path("server.ext")
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(
            toFile: serverExtensions, atomically: true, encoding: .utf8)
        try makeLeaf("server", subject: "/CN=localhost", authority: "ca", extensions: serverExtensions)
        try makeLeaf("carol", subject: "/O=Samsa/OU=Eng/CN=carol", authority: "ca")
        try makeLeaf("expired", subject: "/CN=expired", authority: "ca", days: -1)
        try makeLeaf("untrusted", subject: "/CN=mallory", authority: "other-ca")
        try concatenate([serverKey, serverCertificate], into: serverKeystore)
        try openssl(["pkey", "-in", serverKey, "-aes256", "-passout", "pass:\(keyPassword)", "-out", path("server-encrypted.key")])
        try concatenate([path("server-encrypted.key"), serverCertificate], into: serverEncryptedKeystore)
        try openssl([
            "pkcs12", "-export", "-in", serverCertificate, "-inkey", serverKey, "-certfile", caCertificate,
            "-passout", "pass:\(keyPassword)", "-out", serverPKCS12,
        ])
    }

    private func makeAuthority(_ name: String, subject: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).pem"), "-subj", subject, "-days", "2",
        ])
    }

    private func makeLeaf(_ name: String, subject: String, authority: String, days: Int = 2, extensions: String? = nil) throws {
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).csr"), "-subj", subject,
        ])
        try openssl(
            [
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(authority).pem"), "-CAkey", path("\(authority).key"),
                "-CAcreateserial", "-out", path("\(name).pem"), "-days", "\(days)",
            ] + (extensions.map { ["-extfile", $0] } ?? []))
    }

    private func concatenate(_ files: [String], into target: String) throws {
        let text = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        try text.write(toFile: target, atomically: true, encoding: .utf8)
    }

    private func openssl(_ arguments: [String]) throws {
        let executable = "/usr/bin/openssl"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestFailure("TLS tests make their certificates with \(executable): install it (apt-get install openssl)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(String(decoding: output, as: UTF8.self))")
        }
    }
}
