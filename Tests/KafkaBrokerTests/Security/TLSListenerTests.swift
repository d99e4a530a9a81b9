import Foundation
import KafkaProtocol
import Logging
import NIOCore
import NIOSSL
import SamsaTestSupport
import Testing

@testable import KafkaBroker

/// The broker over TLS with hand-built frames: several listeners side by side, each answering
/// with its own advertised address; the keystore formats; client certificates and the principal
/// they give; and the clients that must be refused without disturbing anyone else.
@Suite("TLS listeners", .serialized, .tags(.component))
struct TLSListenerTests {
    static func withCertificates<Result>(_ body: (TestCertificates) async throws -> Result) async throws -> Result {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        return try await body(certificates)
    }

    static func tlsSettings(_ certificates: TestCertificates, clientAuth: String = "none") -> [String: String] {
        [
            "listeners": "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0", "ssl.keystore.location": certificates.serverKeystore,
            "ssl.truststore.location": certificates.caCertificate, "ssl.client.auth": clientAuth,
        ]
    }

    /// The broker's only advertised broker, as Metadata v1 tells it to a client of `port`.
    static func advertisedBroker(port: Int, tls: TLSConfiguration?) async throws -> (host: String, port: Int32) {
        try await RawKafkaConnection.with(port: port, tls: tls) { connection in
            let response = try await connection.roundTrip(MetadataRequest(topics: []), version: 1)
            let broker = try #require(response.brokers.first)
            return (broker.host, broker.port)
        }
    }

    @Test func eachListenerAdvertisesItsOwnAddress() async throws {
        try await Self.withCertificates { certificates in
            var settings = Self.tlsSettings(certificates)
            settings["advertised.listeners"] = "SSL://localhost:0"
            try await InProcessBroker.with(settings: settings) { broker in
                let sslPort = try #require(broker.listenerPorts["SSL"])
                let plaintextPort = try #require(broker.listenerPorts["PLAINTEXT"])
                #expect(sslPort != plaintextPort)
                let overTLS = try await Self.advertisedBroker(port: sslPort, tls: try certificates.clientTLS())
                #expect(overTLS.host == "localhost" && overTLS.port == Int32(sslPort), "the SSL listener's advertised address")
                let plain = try await Self.advertisedBroker(port: plaintextPort, tls: nil)
                #expect(plain.host == "127.0.0.1" && plain.port == Int32(plaintextPort), "the PLAINTEXT listener's own address")
            }
        }
    }

    @Test func localhostIsReachableOver127001() async throws {
        try await InProcessBroker.with(settings: ["listeners": "PLAINTEXT://localhost:0"]) { broker in
            let served = try await RawKafkaConnection.isServed(port: broker.port, tls: nil)
            #expect(served, "a client that resolves localhost to 127.0.0.1 connects")
        }
    }

    @Test func clientCertificateGivesTheSubjectAsPrincipal() async throws {
        try await Self.withCertificates { certificates in
            let lines = RecordedLogLines()
            let logger = Logger(label: "tls-test") { _ in RecordingLogHandler(lines: lines) }
            try await InProcessBroker.with(settings: Self.tlsSettings(certificates, clientAuth: "required"), logger: logger) { broker in
                let sslPort = try #require(broker.listenerPorts["SSL"])
                let carol = try certificates.clientTLS(certificate: certificates.clientCertificate, key: certificates.clientKey)
                #expect(try await RawKafkaConnection.isServed(port: sslPort, tls: carol))
                #expect(lines.count(containing: "principal \(certificates.clientPrincipal)") == 1)
            }
        }
    }

    @Test func clientsWithoutAValidCertificateAreRefusedAndOthersServed() async throws {
        try await Self.withCertificates { certificates in
            try await InProcessBroker.with(settings: Self.tlsSettings(certificates, clientAuth: "required")) { broker in
                let sslPort = try #require(broker.listenerPorts["SSL"])
                let carol = try certificates.clientTLS(certificate: certificates.clientCertificate, key: certificates.clientKey)
                let refused: [(String, TLSConfiguration?, [UInt8]?)] = [
                    ("no certificate", try certificates.clientTLS(), nil),
                    (
                        "an expired certificate",
                        try certificates.clientTLS(certificate: certificates.expiredClientCertificate, key: certificates.expiredClientKey),
                        nil
                    ),
                    (
                        "a certificate of another CA",
                        try certificates.clientTLS(
                            certificate: certificates.untrustedClientCertificate, key: certificates.untrustedClientKey), nil
                    ),
                    ("a plaintext Kafka client", nil, nil),
                    ("garbage bytes", nil, Array(repeating: 0x16, count: 5) + Array(repeating: 0xFF, count: 200)),
                ]
                for (client, tls, bytes) in refused {
                    #expect(await RawKafkaConnection.isRefused(port: sslPort, tls: tls, sending: bytes), "\(client) is refused")
                    #expect(
                        try await RawKafkaConnection.isServed(port: sslPort, tls: carol), "a valid client is still served after \(client)")
                }
                #expect(try await RawKafkaConnection.isServed(port: try #require(broker.listenerPorts["PLAINTEXT"]), tls: nil))
            }
        }
    }

    @Test func requestedClientAuthAcceptsClientsWithoutACertificate() async throws {
        try await Self.withCertificates { certificates in
            try await InProcessBroker.with(settings: Self.tlsSettings(certificates, clientAuth: "requested")) { broker in
                let sslPort = try #require(broker.listenerPorts["SSL"])
                #expect(try await RawKafkaConnection.isServed(port: sslPort, tls: try certificates.clientTLS()))
                let mallory = try certificates.clientTLS(
                    certificate: certificates.untrustedClientCertificate, key: certificates.untrustedClientKey)
                #expect(await RawKafkaConnection.isRefused(port: sslPort, tls: mallory), "a certificate that is shown must be valid")
            }
        }
    }

    enum KeystoreForm: String, CaseIterable, Sendable {
        case encryptedPEM, pkcs12, inlinePEM
    }

    @Test(arguments: KeystoreForm.allCases)
    func keystoreForms(_ form: KeystoreForm) async throws {
        try await Self.withCertificates { certificates in
            var settings = ["listeners": "SSL://127.0.0.1:0"]
            switch form {
            case .encryptedPEM:
                settings["ssl.keystore.location"] = certificates.serverEncryptedKeystore
                settings["ssl.key.password"] = certificates.keyPassword
            case .pkcs12:
                settings["ssl.keystore.type"] = "PKCS12"
                settings["ssl.keystore.location"] = certificates.serverPKCS12
                settings["ssl.keystore.password"] = certificates.keyPassword
            case .inlinePEM:
                settings["ssl.keystore.certificate.chain"] = try String(contentsOfFile: certificates.serverCertificate, encoding: .utf8)
                settings["ssl.keystore.key"] = try String(contentsOfFile: certificates.serverKey, encoding: .utf8)
            }
            try await InProcessBroker.with(settings: settings) { broker in
                let served = try await RawKafkaConnection.isServed(port: broker.port, tls: try certificates.clientTLS())
                #expect(served)
            }
        }
    }

    @Test(arguments: [
        (["ssl.keystore.location": "server-keystore-encrypted.pem", "ssl.key.password": "wrong"], "that ssl.key.password opens"),
        (["ssl.keystore.location": "server-keystore-encrypted.pem"], "an encrypted key needs ssl.key.password"),
        (["ssl.keystore.location": "missing.pem"], "cannot be read"),
        (
            ["ssl.keystore.location": "server.p12", "ssl.keystore.type": "PKCS12", "ssl.keystore.password": "wrong"],
            "is not a PKCS12 keystore that ssl.keystore.password opens"
        ),
        (["ssl.keystore.location": "server-keystore.pem", "ssl.client.auth": "required"], "needs ssl.truststore.location"),
    ])
    func badKeystoreStopsStartUp(settings: [String: String], message: String) async throws {
        try await Self.withCertificates { certificates in
            var settings = settings.mapValues { $0.hasSuffix(".pem") || $0.hasSuffix(".p12") ? certificates.path($0) : $0 }
            settings["listeners"] = "SSL://127.0.0.1:0"
            let error = await #expect(throws: TLSSetupError.self) {
                try await InProcessBroker.with(settings: settings) { _ in }
            }
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("\n") == false, "one line")
        }
    }

    @Test func reloadGivesNewConnectionsTheNewCertificate() async throws {
        try await Self.withCertificates { first in
            try await Self.withCertificates { second in
                let keystore = first.path("live-keystore.pem")
                try FileManager.default.copyItem(atPath: first.serverKeystore, toPath: keystore)
                try await InProcessBroker.with(settings: ["listeners": "SSL://127.0.0.1:0", "ssl.keystore.location": keystore]) { broker in
                    #expect(try await RawKafkaConnection.isServed(port: broker.port, tls: try first.clientTLS()))
                    try FileManager.default.removeItem(atPath: keystore)
                    try FileManager.default.copyItem(atPath: second.serverKeystore, toPath: keystore)
                    #expect(broker.broker.reloadTLSCertificates().isEmpty)
                    #expect(
                        try await RawKafkaConnection.isServed(port: broker.port, tls: try second.clientTLS()),
                        "the new certificate is served")
                    #expect(await RawKafkaConnection.isRefused(port: broker.port, tls: try first.clientTLS()), "the old one is not")
                    try "not a certificate".write(toFile: keystore, atomically: true, encoding: .utf8)
                    #expect(broker.broker.reloadTLSCertificates().count == 1)
                    #expect(
                        try await RawKafkaConnection.isServed(port: broker.port, tls: try second.clientTLS()),
                        "a failed reload keeps the certificate")
                }
            }
        }
    }

    @Test func plaintextOnANonLoopbackAddressIsExposed() throws {
        let configuration = BrokerConfiguration()
        let exposed = BrokerConfiguration.KafkaListener(name: "PLAINTEXT", securityProtocol: .plaintext, host: "0.0.0.0", port: 9092)
        #expect(try ServedListener(exposed, configuration: configuration).isExposedPlaintext)
        for host in ["localhost", "127.0.0.1", "::1"] {
            var loopback = exposed
            loopback.host = host
            #expect(try !ServedListener(loopback, configuration: configuration).isExposedPlaintext, "\(host)")
        }
        var saslListener = exposed
        saslListener.name = "INTERNAL"
        saslListener.securityProtocol = .saslPlaintext
        #expect(try !ServedListener(saslListener, configuration: configuration).isExposedPlaintext, "SASL authenticates")
    }
}
