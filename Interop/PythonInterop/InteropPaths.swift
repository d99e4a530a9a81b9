import Foundation

/// Where the interop harness finds its scenarios and the pinned Python packages, relative to the
/// package root (located from this source file's path, so tests find them from any working folder).
public enum InteropPaths {
    /// The SwiftPM package root (the folder holding Package.swift).
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PythonInterop
        .deletingLastPathComponent()  // Interop
        .deletingLastPathComponent()
        .path

    /// `Interop/scenarios`, the Python scenario files.
    public static let scenariosFolder = packageRoot + "/Interop/scenarios"

    /// `Interop/compatibility`, the client compatibility matrix: its runner, drivers and the
    /// committed results.json.
    public static let compatibilityFolder = packageRoot + "/Interop/compatibility"

    /// kafka-python 3.0.12, installed by `make python-deps`; on the embedded interpreter's path.
    public static let kafkaPython3Packages = packageRoot + "/.python-deps/kafka-python-3"

    /// kafka-python 2.0.2, installed by `make python-deps`. It imports as `kafka` too, so it only
    /// runs in `python3` subprocesses.
    public static let kafkaPython2Packages = packageRoot + "/.python-deps/kafka-python-2"

    /// The path of `Interop/scenarios/<name>.py`.
    public static func scenario(_ name: String) -> String {
        "\(scenariosFolder)/\(name).py"
    }
}
