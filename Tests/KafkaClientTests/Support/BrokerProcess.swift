import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One broker child process per kind for the whole test run. A shell wrapper kills it when the test
/// process exits, so an interrupted run leaves no broker behind.
actor BrokerProcess {
    static let samsa = BrokerProcess(.samsa)
    static let tansu = BrokerProcess(.tansu)

    private let broker: TestBroker
    private var bootstrap: String?

    private init(_ broker: TestBroker) {
        self.broker = broker
    }

    /// Starts the broker with the arguments `arguments(port, dataFolder)` unless it runs already.
    func start(_ arguments: (Int, String) -> [String]) async throws -> String {
        if let bootstrap { return bootstrap }
        guard let executable = broker.executable else { throw TestBrokerError(message: "no \(broker) executable") }
        let port = try freePort()
        let dataFolder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-client-tests-\(broker)-\(port)").path
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        let log = dataFolder + ".log"
        let quoted = arguments(port, dataFolder).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "\"$0\" \(quoted) >\(log) 2>&1 & child=$!; "
                + "trap 'kill -9 $child 2>/dev/null; rm -rf \(dataFolder)' EXIT HUP INT TERM; "
                + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done",
            executable,
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
                throw TestBrokerError(message: "\(broker) did not start listening on 127.0.0.1:\(port); see \(log)")
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
        var address = loopback(port: 0)
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
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
