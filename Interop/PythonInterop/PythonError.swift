/// A failure of Python code, of the embedded interpreter, or of a `python3` subprocess.
public struct PythonError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// Embedded Python code raised an exception.
        public static let exception = Code("exception")
        /// CPython could not be initialised; no embedded call can succeed in this process.
        public static let initializationFailed = Code("initializationFailed")
        /// A `python3` subprocess did not exit with status 0.
        public static let subprocessFailed = Code("subprocessFailed")
        /// A `python3` subprocess outlived its timeout and was killed.
        public static let subprocessTimedOut = Code("subprocessTimedOut")
        /// A scenario's result was not a JSON object of the expected shape.
        public static let invalidScenarioOutput = Code("invalidScenarioOutput")

        public let description: String

        private init(_ description: String) {
            self.description = description
        }
    }

    public var code: Code
    /// The exception's class, qualified by its module unless it is a builtin
    /// (`ValueError`, `kafka.errors.KafkaTimeoutError`); empty when no exception is known.
    public var exceptionType: String
    public var message: String
    /// The traceback as Python prints it; for a subprocess, everything it wrote to standard error.
    public var traceback: String

    public init(code: Code, exceptionType: String = "", message: String, traceback: String = "") {
        self.code = code
        self.exceptionType = exceptionType
        self.message = message
        self.traceback = traceback
    }

    public var description: String {
        let summary = exceptionType.isEmpty ? message : "\(exceptionType): \(message)"
        return traceback.isEmpty ? "\(code): \(summary)" : "\(code): \(summary)\n\(traceback)"
    }
}
