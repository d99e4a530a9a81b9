import Foundation

/// Runs `body` with the path of a temporary file holding `source`, for tests about process handling
/// rather than Kafka; the file is deleted when `body` returns.
func withTemporaryPythonScript<Result>(
    _ source: String,
    _ body: (_ path: String) async throws -> Result
) async throws -> Result {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("samsa-interop-\(UUID().uuidString).py").path
    try source.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
