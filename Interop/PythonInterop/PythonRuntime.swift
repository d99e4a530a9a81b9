import CPython
import Foundation

/// The process's one CPython interpreter. It is initialised on first use and never finalised:
/// kafka-python's daemon threads may still be running at exit, and CPython cannot be re-initialised.
enum PythonRuntime {
    /// Swift runs a static `let` initialiser exactly once per process (swift_once), even when several
    /// threads reach it at the same time, so CPython is initialised once.
    static let initialization: Result<Void, PythonError> = initialize()

    /// The folders put in front of `sys.path`: the pinned kafka-python 3 packages, then `SAMSA_PYTHONPATH`.
    /// (`PYTHONPATH` itself is ignored once `pythonpath_env` is set.)
    private static var searchPath: String {
        let extra = ProcessInfo.processInfo.environment["SAMSA_PYTHONPATH"] ?? ""
        return ([InteropPaths.kafkaPython3Packages] + (extra.isEmpty ? [] : [extra])).joined(separator: ":")
    }

    private static func initialize() -> Result<Void, PythonError> {
        var config = PyConfig()
        PyConfig_InitPythonConfig(&config)
        defer { PyConfig_Clear(&config) }
        // Python must not take over SIGINT, SIGPIPE or SIGXFSZ in the test process (or the broker's).
        config.install_signal_handlers = 0
        // One pointer for both arguments of PyConfig_SetBytesString, since `&config` twice in one call
        // is an exclusivity violation.
        let status = withUnsafeMutablePointer(to: &config) { config -> PyStatus in
            // Without an explicit program name CPython looks "python3" up on PATH and sys.executable
            // becomes whatever is found there (a pyenv shim on this machine), which breaks subprocess
            // and multiprocessing inside Python.
            var status = PyConfig_SetBytesString(config, &config.pointee.program_name, "/usr/bin/python3.11")
            if PyStatus_Exception(status) != 0 { return status }
            status = PyConfig_SetBytesString(config, &config.pointee.pythonpath_env, searchPath)
            if PyStatus_Exception(status) != 0 { return status }
            return Py_InitializeFromConfig(config)
        }
        if PyStatus_Exception(status) != 0 {
            let reason = status.err_msg.map { String(cString: $0) } ?? "unknown error"
            let function = status.func.map { String(cString: $0) } ?? "Py_InitializeFromConfig"
            return .failure(PythonError(code: .initializationFailed, message: "\(function): \(reason)"))
        }
        // Release the GIL that initialisation left held by this thread; otherwise every other thread,
        // kafka-python's own included, blocks forever in PyGILState_Ensure. The returned thread state
        // stays registered with this thread, so PyGILState_Ensure here resumes it later.
        _ = PyEval_SaveThread()
        return .success(())
    }
}
