import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The built `samsa` executable run as a child process, for tests that kill the broker.
final class BrokerProcess: Sendable {
    let process: Process
    let port: Int
    let dataDirectory: String
    var bootstrapServer: String { "127.0.0.1:\(port)" }

    /// `samsa` sits next to the test bundle in the build folder; `SAMSA_BROKER_EXECUTABLE` names
    /// another build (a release build, for recovery times).
    static var executablePath: String {
        ProcessInfo.processInfo.environment["SAMSA_BROKER_EXECUTABLE"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("samsa").path
    }

    static func start(dataDirectory: String, port: Int? = nil, settings: [String: String] = [:]) async throws -> BrokerProcess {
        let port = try port ?? freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath)
        // No console listener: its fixed default port would make brokers started side by side collide.
        var arguments = [
            "broker", "--override", "listeners=PLAINTEXT://127.0.0.1:\(port)", "--override", "log.dirs=\(dataDirectory)",
            "--override", "metrics.listener=",
        ]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) { arguments += ["--override", "\(key)=\(value)"] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let broker = BrokerProcess(process: process, port: port, dataDirectory: dataDirectory)
        try await broker.waitUntilListening()
        return broker
    }

    private init(process: Process, port: Int, dataDirectory: String) {
        self.process = process
        self.port = port
        self.dataDirectory = dataDirectory
    }

    private func waitUntilListening() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if canConnect(port: port) { return }
            guard process.isRunning else { throw BrokerProcessError(message: "samsa exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BrokerProcessError(message: "samsa did not listen on \(port) within 20 s")
    }

    /// The most memory the broker process held so far (VmHWM), 0 when it cannot be read.
    var peakResidentBytes: Int { statusBytes("VmHWM:") }

    /// The memory the broker process holds now (VmRSS), 0 when it cannot be read.
    var residentBytes: Int { statusBytes("VmRSS:") }

    /// A size line of /proc/PID/status, which the kernel gives in KiB.
    private func statusBytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
            let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kibibytes * 1_024
    }

    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        process.terminate()
        process.waitUntilExit()
    }
}

struct BrokerProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A port nobody listens on right now (bound to port 0, then released).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BrokerProcessError(message: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
        }
    }
    guard bound else { throw BrokerProcessError(message: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
