import Foundation
import PythonInterop
import SamsaTestSupport
import Testing

extension InteropSuite {
    @Suite(.serialized)
    struct EmbeddedPythonTests {
        @Test func evaluatesAnExpression() async throws {
            #expect(try await EmbeddedPython.evaluate("6 * 7") == "42")
        }

        @Test func importsThePinnedKafkaPython3() async throws {
            try await EmbeddedPython.run("import kafka, sys")
            #expect(try await EmbeddedPython.evaluate("kafka.__version__") == "3.0.12")
            #expect(try await EmbeddedPython.evaluate("kafka.__file__").hasPrefix(InteropPaths.kafkaPython3Packages))
            // Not a PATH lookup (a pyenv shim here), which would break subprocess inside Python.
            #expect(try await EmbeddedPython.evaluate("sys.executable") == "/usr/bin/python3.11")
        }

        @Test func pythonExceptionBecomesPythonErrorWithTraceback() async throws {
            let error = try await #require(throws: PythonError.self) {
                try await EmbeddedPython.run(
                    """
                    def fail_deep_inside():
                        raise ValueError("boom")
                    fail_deep_inside()
                    """
                )
            }
            #expect(error.code == .exception)
            #expect(error.exceptionType == "ValueError")
            #expect(error.message == "boom")
            #expect(error.traceback.hasPrefix("Traceback (most recent call last):"))
            #expect(error.traceback.contains("in fail_deep_inside"))
            #expect(error.traceback.hasSuffix("ValueError: boom\n"))
        }

        @Test func exceptionTypeNamesItsModule() async throws {
            let error = try await #require(throws: PythonError.self) {
                try await EmbeddedPython.run("import kafka.errors\nraise kafka.errors.KafkaTimeoutError('no answer')")
            }
            #expect(error.exceptionType == "kafka.errors.KafkaTimeoutError")
        }

        @Test func pythonThreadKeepsRunningBetweenCalls() async throws {
            try await EmbeddedPython.run(
                """
                import threading, time
                ticker_stop = threading.Event()
                ticker_count = 0
                def tick():
                    global ticker_count
                    while not ticker_stop.wait(0.01):
                        ticker_count += 1
                ticker_thread = threading.Thread(target=tick, daemon=True)
                ticker_thread.start()
                """
            )
            let first = try #require(Int(try await EmbeddedPython.evaluate("ticker_count")))
            // No Python call is in progress during this sleep: only the released GIL lets the ticker run.
            try await Task.sleep(for: .milliseconds(300))
            let second = try #require(Int(try await EmbeddedPython.evaluate("ticker_count")))
            #expect(second > first)
            try await EmbeddedPython.run("ticker_stop.set(); ticker_thread.join(5)")
            #expect(try await EmbeddedPython.evaluate("ticker_thread.is_alive()") == "False")
        }

        @Test func runsTheSmokeScenario() async throws {
            let result = try await EmbeddedPython.runScenario(
                path: InteropPaths.scenario("smoke"),
                arguments: ["bootstrap-server": "127.0.0.1:9092"]
            )
            #expect(result["kafka_version"] == "3.0.12")
            guard case .string(let python) = result["python"] else {
                Issue.record("no python version in \(result)")
                return
            }
            #expect(python.hasPrefix("3.11."))
        }

        @Test func decodesAScenarioResult() async throws {
            let report = try await EmbeddedPython.runScenario(path: InteropPaths.scenario("smoke"), as: SmokeReport.self)
            #expect(report.kafkaVersion == "3.0.12")
        }

        @Test func scenarioReceivesArgumentsAsOptions() async throws {
            let source = """
                import sys
                def main(argv):
                    return {"argv": argv, "sys_argv": sys.argv[1:]}
                """
            let result = try await withTemporaryPythonScript(source) {
                try await EmbeddedPython.runScenario(path: $0, arguments: ["topic": "orders", "count": "3"])
            }
            #expect(result["argv"] == ["--count", "3", "--topic", "orders"])
            #expect(result["sys_argv"] == ["--count", "3", "--topic", "orders"])
        }

        @Test func scenarioResultKeepsJSONTypes() async throws {
            let source = """
                def main(argv):
                    return {"int": 7, "float": 1.5, "bool": True, "none": None, "list": [1, "a"], "dict": {"k": False}}
                """
            let result = try await withTemporaryPythonScript(source) { try await EmbeddedPython.runScenario(path: $0) }
            #expect(result == ["int": 7, "float": 1.5, "bool": true, "none": nil, "list": [1, "a"], "dict": ["k": false]])
        }

        @Test func scenarioWithoutMainIsAnError() async throws {
            let error = try await #require(throws: PythonError.self) {
                try await withTemporaryPythonScript("x = 1") { try await EmbeddedPython.runScenario(path: $0) }
            }
            #expect(error.exceptionType == "AttributeError")
            #expect(error.message.hasSuffix("defines no main(argv) function"))
        }

        @Test func systemExitDoesNotEndTheTestProcess() async throws {
            let error = try await #require(throws: PythonError.self) {
                try await EmbeddedPython.run("import sys\nsys.exit(3)")
            }
            #expect(error.exceptionType == "SystemExit")
            #expect(error.message == "3")
        }

        @Test func concurrentCallsRunOneAtATimeOnTheDedicatedThread() async throws {
            try await EmbeddedPython.run("import threading, time\nshared_total = 0")
            let callers = 40
            let threadNames = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<callers {
                    group.addTask {
                        // A read-modify-write with a GIL switch in the middle: overlapping calls would lose updates.
                        try await EmbeddedPython.run("observed = shared_total\ntime.sleep(0.001)\nshared_total = observed + 1")
                        // The OS thread's name, as the kernel knows it.
                        return try await EmbeddedPython.evaluate(
                            "open(f'/proc/self/task/{threading.get_native_id()}/comm').read().strip()"
                        )
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(threadNames == ["samsa-python"])
            #expect(try await EmbeddedPython.evaluate("shared_total") == "\(callers)")
        }

        @Test func blockingPythonCallDoesNotBlockSwiftTasks() async throws {
            let clock = ContinuousClock()
            // The script creates this file just before it blocks, so the Swift tasks below start
            // only once the Python call really is blocking.
            let blocking = FileManager.default.temporaryDirectory
                .appendingPathComponent("samsa-python-blocking-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: blocking) }
            let python = Task {
                try await EmbeddedPython.run("import time\nopen(\(String(reflecting: blocking)), 'w').close()\ntime.sleep(1)")
                return clock.now
            }
            let started = try await waitUntil(timeout: .seconds(10)) { FileManager.default.fileExists(atPath: blocking) }
            #expect(started, "the Python call started")
            // More tasks than cooperative threads, all started while the Python call blocks.
            let swiftTasks = (0..<8).map { _ in
                Task {
                    try await Task.sleep(for: .milliseconds(100))
                    return clock.now
                }
            }
            var swiftFinished: [ContinuousClock.Instant] = []
            for task in swiftTasks {
                swiftFinished.append(try await task.value)
            }
            let pythonFinished = try await python.value
            #expect(swiftFinished.allSatisfy { $0 < pythonFinished })
        }
    }
}

private struct SmokeReport: Decodable {
    var kafkaVersion: String

    enum CodingKeys: String, CodingKey {
        case kafkaVersion = "kafka_version"
    }
}
