import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
    import SamsaTestSupport
#endif

/// The built `samsa` executable run as a child process, as a user runs Kafka's shell tools:
/// arguments, text on standard input, and standard output and standard error captured apart.
/// Output goes to temporary files rather than pipes, so a chatty tool can never block on a full
/// pipe while the test waits for it to exit.
struct SamsaCommand {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Set from another task to send the running command SIGINT, as Ctrl-C does.
    final class Interrupt: Sendable {
        private let requested = Atomic<Bool>(false)
        func callAsFunction() { requested.store(true, ordering: .relaxed) }
        var isRequested: Bool { requested.load(ordering: .relaxed) }
    }

    static func run(
        _ arguments: [String], input: String = "", timeout: Duration = .seconds(30), interrupt: Interrupt? = nil
    ) async throws -> SamsaCommand {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("stdin")
        let outputFile = folder.appendingPathComponent("stdout")
        let errorFile = folder.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: inputFile)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestPrerequisites.samsaExecutable())
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let started = ContinuousClock.now
        var interrupted = false
        while process.isRunning {
            if let interrupt, !interrupted, interrupt.isRequested {
                kill(process.processIdentifier, SIGINT)
                interrupted = true
            }
            guard ContinuousClock.now - started < timeout else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TestFailure("samsa \(arguments.joined(separator: " ")) did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return SamsaCommand(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: outputFile, encoding: .utf8),
            standardError: try String(contentsOf: errorFile, encoding: .utf8))
    }
}
