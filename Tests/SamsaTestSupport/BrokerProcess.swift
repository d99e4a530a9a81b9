import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A broker run as a child process on 127.0.0.1: the built `samsa` executable (for tests that
/// kill it or measure its memory, and for the SDK's integration tests) or Tansu. A watchdog kills
/// it when the test process exits, so an interrupted run leaves no broker behind.
public final class BrokerProcess: Sendable {
    public let process: Process
    public let port: Int
    public let dataDirectory: String
    public var bootstrapServer: String { "127.0.0.1:\(port)" }

    private init(process: Process, port: Int, dataDirectory: String) {
        self.process = process
        self.port = port
        self.dataDirectory = dataDirectory
    }

    /// `samsa broker` on `dataDirectory`, with `settings` as server.properties overrides.
    /// - Parameters:
    ///   - logFile: where its output goes; discarded when nil.
    ///   - removingDataWhenDone: the watchdog removes `dataDirectory` once the broker is gone, for a
    ///     broker that lives until the test process exits.
    ///   - openFileLimit: the broker's soft and hard descriptor limits (`ulimit -n`), if not the test
    ///     process's.
    public static func samsa(
        dataDirectory: String, port: Int? = nil, settings: [String: String] = [:], logFile: String? = nil,
        removingDataWhenDone: Bool = false, openFileLimit: Int? = nil
    ) async throws -> BrokerProcess {
        let port = try port ?? Loopback.freePort()
        // No console listener: its fixed default port would make brokers started side by side collide.
        var arguments = [
            "broker", "--override", "listeners=PLAINTEXT://127.0.0.1:\(port)", "--override", "log.dirs=\(dataDirectory)",
            "--override", "metrics.listener=",
        ]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) { arguments += ["--override", "\(key)=\(value)"] }
        var executable = try TestPrerequisites.samsaExecutable()
        if let openFileLimit {
            // The shell sets the limit and becomes the broker, so the process is still the broker's.
            arguments = ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", executable] + arguments
            executable = "/bin/sh"
        }
        return try await start(
            executable: executable, arguments: arguments, port: port, dataDirectory: dataDirectory,
            logFile: logFile, removingDataWhenDone: removingDataWhenDone)
    }

    /// Tansu with in-memory storage; `dataDirectory` only holds its log file.
    public static func tansu(dataDirectory: String, logFile: String? = nil, removingDataWhenDone: Bool = false) async throws
        -> BrokerProcess
    {
        let port = try Loopback.freePort()
        let url = "tcp://127.0.0.1:\(port)"
        return try await start(
            executable: try TestPrerequisites.tansuExecutable(),
            arguments: ["broker", "--listener-url", url, "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
            port: port, dataDirectory: dataDirectory, logFile: logFile, removingDataWhenDone: removingDataWhenDone)
    }

    private static func start(
        executable: String, arguments: [String], port: Int, dataDirectory: String, logFile: String?, removingDataWhenDone: Bool
    ) async throws -> BrokerProcess {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Never the test process's own output: swift-test reads those pipes to the end and would
        // wait for the broker to exit.
        let output: FileHandle
        if let logFile {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            output = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        } else {
            output = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try startWatchdog(for: process.processIdentifier, removing: removingDataWhenDone ? dataDirectory : nil)
        let broker = BrokerProcess(process: process, port: port, dataDirectory: dataDirectory)
        let name = URL(fileURLWithPath: executable).lastPathComponent
        let listening = try await waitUntil(timeout: .seconds(20)) { Loopback.isListening(port: port) || !process.isRunning }
        guard listening, process.isRunning else {
            broker.kill()
            let seeLog = logFile.map { "; see \($0)" } ?? ""
            throw TestFailure("\(name) did not start listening on 127.0.0.1:\(port) (exit status \(process.terminationStatus))\(seeLog)")
        }
        return broker
    }

    /// A shell that SIGKILLs the broker as soon as this process is gone, and ends by itself when
    /// the broker does; then removes `folder`, if given.
    private static func startWatchdog(for child: Int32, removing folder: String?) throws {
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        let removal = folder == nil ? "" : "; rm -rf \"$0\""
        watchdog.arguments = [
            "-c",
            "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(child) 2>/dev/null; do sleep 1; done; kill -9 \(child) 2>/dev/null\(removal)",
            folder ?? "",
        ]
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    /// The most memory the broker process held so far (VmHWM), 0 when it cannot be read.
    public var peakResidentBytes: Int { statusBytes("VmHWM:") }

    /// How many descriptors the broker process has open now.
    public var openDescriptorCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? 0
    }

    /// The memory the broker process holds now (VmRSS), 0 when it cannot be read.
    public var residentBytes: Int { statusBytes("VmRSS:") }

    /// A size line of /proc/PID/status, which the kernel gives in KiB.
    private func statusBytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
            let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kibibytes * 1_024
    }

    /// SIGKILL, as a crash or a power cut ends a broker.
    public func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, a graceful shutdown.
    public func terminate() {
        process.terminate()
        process.waitUntilExit()
    }
}
