/// The CPython interpreter embedded in this process, with kafka-python 3.0.12 on its path
/// (`make python-deps` installs it).
///
/// Every call runs on one dedicated thread, one call at a time; the GIL is released between calls,
/// so Python threads (kafka-python's sender and heartbeat threads) keep running while Swift waits.
public enum EmbeddedPython {
    private static let thread = PythonThread(name: "samsa-python")

    /// Runs `code` as statements in `__main__`, whose names persist between calls.
    public static func run(_ code: String) async throws {
        try await thread.submit { try $0.run(code) }
    }

    /// Evaluates a Python expression in `__main__` and returns `str()` of its value.
    public static func evaluate(_ expression: String) async throws -> String {
        try await thread.submit { try $0.evaluate(expression) }
    }

    /// Runs the scenario file at `path` in a fresh namespace and returns the dict its `main(argv)`
    /// returned, with `argv` (and `sys.argv[1:]`) built from `arguments` as `--key value` pairs.
    public static func runScenario(path: String, arguments: [String: String] = [:]) async throws -> [String: JSONValue] {
        try await runScenario(path: path, arguments: arguments, as: [String: JSONValue].self)
    }

    /// Like `runScenario(path:arguments:)`, decoding the returned dict as `Result`.
    public static func runScenario<Result: Decodable>(
        path: String,
        arguments: [String: String] = [:],
        as type: Result.Type
    ) async throws -> Result {
        let commandLine = ScenarioContract.commandLine(arguments)
        let json = try await thread.submit { try $0.runScenario(path: path, commandLine: commandLine) }
        return try ScenarioContract.decodeResult(json, as: Result.self, scenario: path)
    }
}
