import Foundation

/// The command-line contract shared by embedded and subprocess scenarios: every argument is a
/// `--key value` pair (sorted by key, so runs are reproducible), and the result is one JSON object.
enum ScenarioContract {
    /// `["bootstrap-server": "127.0.0.1:9092"]` becomes `["--bootstrap-server", "127.0.0.1:9092"]`.
    static func commandLine(_ arguments: [String: String]) -> [String] {
        arguments.sorted { $0.key < $1.key }.flatMap { ["--\($0.key)", $0.value] }
    }

    static func decodeResult<Result: Decodable>(_ json: String, as type: Result.Type, scenario path: String) throws -> Result {
        do {
            return try JSONDecoder().decode(Result.self, from: Data(json.utf8))
        } catch {
            throw PythonError(
                code: .invalidScenarioOutput,
                message: "\(path) returned JSON that does not decode as \(Result.self): \(error)",
                traceback: json
            )
        }
    }
}
