import Foundation
import SamsaTestSupport

/// Runs kafka-python 3.0.12 scripts as python3 subprocesses for cross-client checks.
enum KafkaPython {
    /// Runs `script` with `arguments` as sys.argv[1...], killing it after `timeout`; returns its
    /// standard output, or throws with its standard error when it fails.
    static func run(_ script: String, arguments: [String] = [], timeout: Duration = .seconds(60)) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = try TestPrerequisites.kafkaPython3()
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let killer = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        // Read both pipes to the end concurrently, so a chatty stderr cannot block the script.
        async let standardOutput = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let standardError = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        let (out, err) = await (standardOutput, standardError)
        process.waitUntilExit()
        killer.cancel()
        guard process.terminationStatus == 0 else {
            throw TestFailure(
                "python3 exited with \(process.terminationStatus): \(String(decoding: err, as: UTF8.self).suffix(2000))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON value printed by a script.
    static func runJSON<T: Decodable>(_ script: String, arguments: [String] = [], as type: T.Type) async throws -> T {
        let output = try await run(script, arguments: arguments)
        return try JSONDecoder().decode(T.self, from: Data(output.utf8))
    }
}
