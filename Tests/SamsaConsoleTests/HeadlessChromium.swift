import Foundation

/// Debian's Chromium, headless: loads a page as a person's browser would and prints the DOM it
/// built, or saves a picture of it. Its stderr (dbus warnings and the like) is discarded; the
/// exit status and the output decide.
enum HeadlessChromium {
    static let executable = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func dumpDOM(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    static func screenshot(_ url: String, to path: String) async throws {
        try? FileManager.default.removeItem(atPath: path)
        _ = try await run(["--screenshot=\(path)", "--window-size=1200,800", "--hide-scrollbars", url])
        guard FileManager.default.fileExists(atPath: path) else { throw Failed(description: "no screenshot at \(path)") }
    }

    private static func run(_ arguments: [String]) async throws -> String {
        guard let executable else { throw Failed(description: "chromium is not installed (apt-get install chromium)") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("samsa-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputPath = scratch.appendingPathComponent("stdout").path
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw Failed(description: "cannot create \(outputPath)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }

        let process = Process()
        // coreutils' timeout ends a Chromium that hangs, so that a test fails instead of waiting;
        // nice lets the broker tests running beside it have the CPU first.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        // A profile folder of its own, so that runs side by side do not share a profile lock.
        process.arguments =
            [
                "-n", "10", "/usr/bin/timeout", "60", executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
            ] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Waiting through the termination handler keeps the Swift concurrency threads free for
        // the broker and console that Chromium is talking to.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else { throw Failed(description: "chromium \(arguments) exited with \(status)") }
        return try String(contentsOfFile: outputPath, encoding: .utf8)
    }
}
