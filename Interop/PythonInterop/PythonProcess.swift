import Dispatch
import Foundation
import Glibc
import Synchronization

/// A running `python3` subprocess, started by `PythonSubprocess.start`. Its output is collected as it
/// arrives, so a chatty process never blocks on a full pipe.
public final class PythonProcess: Sendable {
    public let pid: Int32
    /// The script, for error messages.
    public let path: String

    private struct State {
        var standardOutput = Data()
        var standardError = Data()
        var termination: PythonProcessExit.Termination?
    }

    /// What the termination handler and the pipe readers share with the handle; a class of its own
    /// because their closures are created before `self` is fully initialised.
    private final class Monitor: Sendable {
        let state = Mutex(State())
        /// Left three times: standard output closed, standard error closed, process reaped.
        let finished = DispatchGroup()
    }

    private let monitor = Monitor()

    init(path: String, commandLine: [String], pythonPath: [String]) throws {
        self.path = path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [path] + commandLine
        var environment = ProcessInfo.processInfo.environment
        // Replaced rather than extended: kafka-python 2 and 3 both import as `kafka`, so only the
        // folders asked for may be on the path.
        environment["PYTHONPATH"] = pythonPath.joined(separator: ":")
        // Lines reach the pipe when printed, so a test can wait for a "ready" line.
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice

        monitor.finished.enter()
        monitor.finished.enter()
        monitor.finished.enter()
        process.terminationHandler = { [monitor] process in
            let termination: PythonProcessExit.Termination =
                process.terminationReason == .uncaughtSignal
                ? .killed(signal: process.terminationStatus)
                : .exited(status: process.terminationStatus)
            monitor.state.withLock { $0.termination = termination }
            monitor.finished.leave()
        }
        do {
            try process.run()
        } catch {
            throw PythonError(code: .subprocessFailed, message: "cannot start /usr/bin/python3 \(path): \(error)")
        }
        pid = process.processIdentifier
        collect(standardOutput.fileHandleForReading, into: \.standardOutput)
        collect(standardError.fileHandleForReading, into: \.standardError)
    }

    /// What the process has written to standard output so far.
    public var standardOutput: String {
        monitor.state.withLock { String(decoding: $0.standardOutput, as: UTF8.self) }
    }

    /// Sends SIGKILL, as a crash would end the process: no cleanup, no LeaveGroup. Does nothing once
    /// the process is known to have ended, so the signal does not reach a process that reused the pid.
    public func kill() {
        monitor.state.withLock { state in
            if state.termination == nil {
                _ = Glibc.kill(pid, SIGKILL)
            }
        }
    }

    /// Waits until the process has ended and its output is complete.
    public func wait() async -> PythonProcessExit {
        await withCheckedContinuation { continuation in
            monitor.finished.notify(queue: .global()) { [monitor] in
                continuation.resume(
                    returning: monitor.state.withLock { state in
                        PythonProcessExit(
                            termination: state.termination!,
                            standardOutput: String(decoding: state.standardOutput, as: UTF8.self),
                            standardError: String(decoding: state.standardError, as: UTF8.self)
                        )
                    })
            }
        }
    }

    /// Waits until standard output contains `text`; throws if the process ends first or `timeout` passes.
    public func waitForStandardOutput(containing text: String, timeout: Duration = .seconds(30)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let (output, termination) = monitor.state.withLock { (String(decoding: $0.standardOutput, as: UTF8.self), $0.termination) }
            if output.contains(text) { return }
            if let termination {
                // The last output may still be in the pipe when the process is reaped.
                let exit = await wait()
                if exit.standardOutput.contains(text) { return }
                throw PythonError(
                    code: .subprocessFailed,
                    message: "\(path) ended (\(termination)) before printing \"\(text)\"",
                    traceback: exit.standardError
                )
            }
            if clock.now >= deadline {
                throw PythonError(
                    code: .subprocessTimedOut,
                    message: "\(path) did not print \"\(text)\" within \(timeout)",
                    traceback: monitor.state.withLock { String(decoding: $0.standardError, as: UTF8.self) }
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Reads a pipe until end of file on its own OS thread: the read blocks, which must not happen on
    /// the cooperative pool, nor on Dispatch's global queues (their width is the core count on Linux).
    private func collect(_ handle: FileHandle, into output: any WritableKeyPath<State, Data> & Sendable) {
        Thread { [monitor] in
            while case let chunk = handle.availableData, !chunk.isEmpty {
                monitor.state.withLock { $0[keyPath: output].append(chunk) }
            }
            monitor.finished.leave()
        }.start()
    }
}
