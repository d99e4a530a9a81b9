import Foundation

/// Runs scenarios with `/usr/bin/python3` in a child process: for kafka-python 2.0.2 (which imports
/// as `kafka`, like the embedded 3.0.12) and for clients a test must be able to SIGKILL.
public enum PythonSubprocess {
    /// Runs the scenario at `path` as `python3 path --key value …` and returns the JSON object it
    /// printed as its last line of standard output. Kills the process if it outlives `timeout` or the
    /// calling task is cancelled.
    public static func runScenario(
        path: String,
        arguments: [String: String] = [:],
        pythonPath: [String] = [InteropPaths.kafkaPython2Packages],
        timeout: Duration = .seconds(60)
    ) async throws -> [String: JSONValue] {
        try await runScenario(path: path, arguments: arguments, pythonPath: pythonPath, timeout: timeout, as: [String: JSONValue].self)
    }

    /// Like `runScenario(path:arguments:pythonPath:timeout:)`, decoding the printed object as `Result`.
    public static func runScenario<Result: Decodable>(
        path: String,
        arguments: [String: String] = [:],
        pythonPath: [String] = [InteropPaths.kafkaPython2Packages],
        timeout: Duration = .seconds(60),
        as type: Result.Type
    ) async throws -> Result {
        let process = try start(path: path, arguments: arguments, pythonPath: pythonPath)
        let deadline = Task {
            try await Task.sleep(for: timeout)
            process.kill()
        }
        let exit = await withTaskCancellationHandler {
            await process.wait()
        } onCancel: {
            process.kill()
        }
        deadline.cancel()
        // The sleep finishing (instead of being cancelled) means the process was killed for the timeout.
        let timedOut = (try? await deadline.value) != nil

        guard exit.termination == .exited(status: 0) else {
            var error = PythonError(
                code: timedOut ? .subprocessTimedOut : .subprocessFailed,
                message: timedOut
                    ? "python3 \(path) did not finish within \(timeout) and was killed"
                    : "python3 \(path) ended with \(exit.termination)",
                traceback: exit.standardError
            )
            if !timedOut, let (exceptionType, message) = lastException(in: exit.standardError) {
                error.exceptionType = exceptionType
                error.message = message
            }
            throw error
        }
        let lastLine = exit.standardOutput.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return try ScenarioContract.decodeResult(lastLine, as: Result.self, scenario: path)
    }

    /// Starts `python3 path --key value …` and returns at once. The process outlives the test unless
    /// the caller ends it, so pair this with `defer { process.kill() }`.
    public static func start(
        path: String,
        arguments: [String: String] = [:],
        pythonPath: [String] = [InteropPaths.kafkaPython2Packages]
    ) throws -> PythonProcess {
        try PythonProcess(path: path, commandLine: ScenarioContract.commandLine(arguments), pythonPath: pythonPath)
    }

    /// The exception of an uncaught-exception traceback, whose last line Python prints as
    /// `module.Type: message` (or just `module.Type`).
    private static func lastException(in standardError: String) -> (type: String, message: String)? {
        guard standardError.contains("Traceback (most recent call last):"),
            let lastLine = standardError.split(whereSeparator: \.isNewline).last
        else { return nil }
        let parts = lastLine.split(separator: ":", maxSplits: 1)
        guard let type = parts.first, type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
            return nil
        }
        let message = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        return (String(type), message)
    }
}
