/// How a `python3` subprocess ended, with everything it wrote.
public struct PythonProcessExit: Sendable {
    public enum Termination: Sendable, Hashable {
        case exited(status: Int32)
        case killed(signal: Int32)
    }

    public var termination: Termination
    public var standardOutput: String
    public var standardError: String
}
