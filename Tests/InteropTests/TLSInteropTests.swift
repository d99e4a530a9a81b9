import Foundation
import Logging
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    /// Every client over SSL against the in-process broker, checking its certificate with hostname
    /// verification: an SSL listener, and one that requires a client certificate whose subject
    /// becomes the principal. Certificates a broker must refuse are refused, and the broker keeps
    /// serving others.
    @Suite("TLS with every client", .serialized)
    struct TLSInteropTests {
        static let clients = ["kafka-python-3", "kafka-python-2", "aiokafka", "confluent-kafka", "kcat"]

        static func withTLSBroker<Result: Sendable>(
            _ body: (InProcessBroker, TestCertificates, RecordedLogLines) async throws -> Result
        ) async throws -> Result {
            let certificates = try TestCertificates.make()
            defer { certificates.remove() }
            let lines = RecordedLogLines()
            let logger = Logger(label: "tls-interop") { _ in RecordingLogHandler(lines: lines, logLevel: .info) }
            let settings = [
                "listeners": "SSL://localhost:0,MTLS://localhost:0", "listener.security.protocol.map": "SSL:SSL,MTLS:SSL",
                "ssl.keystore.location": certificates.serverKeystore, "ssl.truststore.location": certificates.caCertificate,
                "listener.name.mtls.ssl.client.auth": "required",
            ]
            return try await InProcessBroker.with(settings: settings, logger: logger) { broker in
                try await body(broker, certificates, lines)
            }
        }

        /// Runs Interop/scenarios/tls_round_trip.py with `client`: kafka-python 3 in the embedded
        /// interpreter, the others in a python3 process.
        static func roundTrip(client: String, arguments: [String: String]) async throws -> [String: JSONValue] {
            let path = InteropPaths.scenario("tls_round_trip")
            switch client {
            case "kafka-python-3":
                return try await EmbeddedPython.runScenario(path: path, arguments: arguments.merging(["client": "kafka-python"]) { $1 })
            case "kafka-python-2":
                return try await PythonSubprocess.runScenario(
                    path: path, arguments: arguments.merging(["client": "kafka-python"]) { $1 }, timeout: .seconds(120))
            default:
                return try await PythonSubprocess.runScenario(
                    path: path, arguments: arguments.merging(["client": client]) { $1 }, pythonPath: [InteropPaths.kafkaPython3Packages],
                    timeout: .seconds(120))
            }
        }

        @Test(arguments: clients)
        func producesAndConsumesOverSSLWithAndWithoutAClientCertificate(client: String) async throws {
            try await Self.withTLSBroker { broker, certificates, lines in
                let ssl = try await Self.roundTrip(
                    client: client,
                    arguments: [
                        "bootstrap-server": "localhost:\(try #require(broker.listenerPorts["SSL"]))", "topic": "tls-\(client)",
                        "cafile": certificates.caCertificate,
                    ])
                #expect(ssl["match"] == true, "\(ssl)")
                let mutual = try await Self.roundTrip(
                    client: client,
                    arguments: [
                        "bootstrap-server": "localhost:\(try #require(broker.listenerPorts["MTLS"]))", "topic": "mtls-\(client)",
                        "cafile": certificates.caCertificate, "certfile": certificates.clientCertificate, "keyfile": certificates.clientKey,
                    ])
                #expect(mutual["match"] == true, "\(mutual)")
                #expect(
                    lines.count(containing: "on listener MTLS presented a client certificate: principal \(certificates.clientPrincipal)")
                        > 0)
            }
        }

        @Test func refusedCertificatesLeaveOtherClientsServed() async throws {
            try await Self.withTLSBroker { broker, certificates, lines in
                let mutualServer = "localhost:\(try #require(broker.listenerPorts["MTLS"]))"
                let refusals: [(String, [String: String])] = [
                    ("no client certificate", [:]),
                    ("an expired one", ["certfile": certificates.expiredClientCertificate, "keyfile": certificates.expiredClientKey]),
                    (
                        "one of another CA",
                        ["certfile": certificates.untrustedClientCertificate, "keyfile": certificates.untrustedClientKey]
                    ),
                ]
                for (what, certificate) in refusals {
                    let result = try await Self.roundTrip(
                        client: "kafka-python-3",
                        arguments: ["bootstrap-server": mutualServer, "cafile": certificates.caCertificate, "expect-refusal": "true"]
                            .merging(certificate) { $1 })
                    #expect(result["refused"] == true, "\(what): \(result)")
                }
                let untrustingClient = try await Self.roundTrip(
                    client: "confluent-kafka",
                    arguments: [
                        "bootstrap-server": "localhost:\(try #require(broker.listenerPorts["SSL"]))",
                        "cafile": certificates.untrustedClientCertificate, "expect-refusal": "true",
                    ])
                #expect(untrustingClient["refused"] == true, "a client that does not trust the broker's CA stops: \(untrustingClient)")
                let served = try await Self.roundTrip(
                    client: "kafka-python-3",
                    arguments: [
                        "bootstrap-server": mutualServer, "topic": "after-refusals", "cafile": certificates.caCertificate,
                        "certfile": certificates.clientCertificate, "keyfile": certificates.clientKey,
                    ])
                #expect(served["match"] == true)
                #expect(lines.count(containing: "TLS failed") >= 3, "each refusal is logged")
            }
        }

        @Test func sighupGivesNewConnectionsTheNewCertificate() async throws {
            let first = try TestCertificates.make()
            defer { first.remove() }
            let second = try TestCertificates.make()
            defer { second.remove() }
            let keystore = first.path("live-keystore.pem")
            try FileManager.default.copyItem(atPath: first.serverKeystore, toPath: keystore)
            let port = try Loopback.freePort()
            let sslPort = try Loopback.freePort()
            let broker = try await BrokerProcess.samsa(
                dataDirectory: first.path("data"), port: port,
                settings: ["listeners": "PLAINTEXT://127.0.0.1:\(port),SSL://127.0.0.1:\(sslPort)", "ssl.keystore.location": keystore],
                logFile: first.path("broker.log"))
            defer { broker.terminate() }
            #expect(try await RawKafkaConnection.isServed(port: sslPort, tls: try first.clientTLS()))
            try FileManager.default.removeItem(atPath: keystore)
            try FileManager.default.copyItem(atPath: second.serverKeystore, toPath: keystore)
            kill(broker.process.processIdentifier, SIGHUP)
            let reloaded = try await waitUntil(timeout: .seconds(10)) {
                (try? await RawKafkaConnection.isServed(port: sslPort, tls: try second.clientTLS())) == true
            }
            #expect(reloaded, "after SIGHUP new connections get the new certificate")
            #expect(await RawKafkaConnection.isRefused(port: sslPort, tls: try first.clientTLS()))
            #expect(broker.process.isRunning, "SIGHUP does not stop the broker")
        }

        @Test func aKeystoreThatDoesNotLoadStopsStartUpWithOneLine() async throws {
            let certificates = try TestCertificates.make()
            defer { certificates.remove() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try TestPrerequisites.samsaExecutable())
            process.arguments = [
                "broker", "--override", "listeners=SSL://127.0.0.1:\(try Loopback.freePort())", "--override",
                "log.dirs=\(certificates.path("data"))", "--override", "metrics.listener=", "--override",
                "ssl.keystore.location=\(certificates.serverEncryptedKeystore)", "--override", "ssl.key.password=wrong",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
            let lines = text.split(separator: "\n").filter { $0.contains("Cannot set up TLS") }
            #expect(lines.count == 1, "\(text)")
            #expect(lines.first?.contains("ssl.key.password") == true)
        }
    }
}
