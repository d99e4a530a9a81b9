import Foundation
import PythonInterop
import Testing

extension InteropSuite {
    @Suite(.serialized)
    struct PythonSubprocessTests {
        @Test func runsTheSmokeScenarioWithKafkaPython2() async throws {
            let result = try await PythonSubprocess.runScenario(
                path: InteropPaths.scenario("smoke"),
                arguments: ["bootstrap-server": "127.0.0.1:9092"]
            )
            #expect(result["kafka_version"] == "2.0.2")
        }

        @Test func decodesAScenarioResult() async throws {
            let versions = try await PythonSubprocess.runScenario(
                path: InteropPaths.scenario("smoke"),
                pythonPath: [InteropPaths.kafkaPython3Packages],
                as: [String: String].self
            )
            #expect(versions["kafka_version"] == "3.0.12")
        }

        @Test func failureCarriesTheExceptionAndStandardError() async throws {
            let source = """
                import sys
                print("about to fail", file=sys.stderr)
                raise RuntimeError("scenario broke")
                """
            let error = try await #require(throws: PythonError.self) {
                try await withTemporaryPythonScript(source) { try await PythonSubprocess.runScenario(path: $0) }
            }
            #expect(error.code == .subprocessFailed)
            #expect(error.exceptionType == "RuntimeError")
            #expect(error.message == "scenario broke")
            #expect(error.traceback.hasPrefix("about to fail\nTraceback (most recent call last):"))
        }

        @Test func outputThatIsNotAJSONObjectIsRejected() async throws {
            let error = try await #require(throws: PythonError.self) {
                try await withTemporaryPythonScript("print('[1, 2]')") { try await PythonSubprocess.runScenario(path: $0) }
            }
            #expect(error.code == .invalidScenarioOutput)
        }

        @Test func timeoutKillsTheProcess() async throws {
            let error = try await #require(throws: PythonError.self) {
                try await withTemporaryPythonScript("import time\ntime.sleep(600)") {
                    try await PythonSubprocess.runScenario(path: $0, timeout: .milliseconds(500))
                }
            }
            #expect(error.code == .subprocessTimedOut)
        }

        @Test func longRunningProcessCanBeKilled() async throws {
            let exit = try await withTemporaryPythonScript("import time\nprint('ready')\ntime.sleep(600)") { path in
                let process = try PythonSubprocess.start(path: path)
                defer { process.kill() }
                try await process.waitForStandardOutput(containing: "ready")
                #expect(kill(process.pid, 0) == 0, "the process is alive")
                process.kill()
                return await process.wait()
            }
            #expect(exit.termination == .killed(signal: SIGKILL))
            #expect(exit.standardOutput == "ready\n")
        }
    }
}
