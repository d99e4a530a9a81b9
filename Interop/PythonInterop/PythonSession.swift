import CPython

/// The Python-side state of the harness's dedicated thread: its Python thread state and the objects
/// every call uses. Not Sendable on purpose: it is created on that thread and used only there.
final class PythonSession {
    /// Python's view of the dedicated thread, kept for the thread's whole life (so `threading.local`
    /// and `threading.current_thread()` stay the same between calls); the GIL is held only inside `withGIL`.
    private var threadState: UnsafeMutablePointer<PyThreadState>?
    /// `__main__.__dict__`: the namespace `run` and `evaluate` share between calls.
    private let mainNamespace: UnsafeMutablePointer<PyObject>
    private let runScenarioFunction: UnsafeMutablePointer<PyObject>
    private let describeExceptionFunction: UnsafeMutablePointer<PyObject>

    init() throws {
        try PythonRuntime.initialization.get()
        // Gives this thread a Python thread state (or resumes the one initialisation left on it) and
        // takes the GIL. No PyGILState_Release follows, so the thread state lives as long as the
        // thread; the GIL is handed back by PyEval_SaveThread below.
        _ = PyGILState_Ensure()
        defer { threadState = PyEval_SaveThread() }

        mainNamespace = PyModule_GetDict(PyImport_AddModule("__main__"))
        Py_IncRef(mainNamespace)

        let helpers = PyDict_New()!
        PyDict_SetItemString(helpers, "__builtins__", PyEval_GetBuiltins())
        guard let code = Py_CompileStringExFlags(Self.helperSource, "<samsa interop helpers>", Py_file_input, nil, -1),
            let result = PyEval_EvalCode(code, helpers, helpers)
        else {
            PyErr_Print()
            fatalError("the interop helpers in PythonSession.swift failed to load (traceback above)")
        }
        Py_DecRef(result)
        Py_DecRef(code)
        runScenarioFunction = PyDict_GetItemString(helpers, "run_scenario")!
        describeExceptionFunction = PyDict_GetItemString(helpers, "describe_exception")!
        Py_IncRef(runScenarioFunction)
        Py_IncRef(describeExceptionFunction)
    }

    /// Runs `code` as statements in `__main__`, as a module body would run.
    func run(_ code: String) throws {
        try withGIL {
            Py_DecRef(try execute(code, mode: Py_file_input, filename: "<EmbeddedPython.run>"))
        }
    }

    /// Evaluates one expression in `__main__` and returns `str()` of its value.
    func evaluate(_ expression: String) throws -> String {
        try withGIL {
            let value = try execute(expression, mode: Py_eval_input, filename: "<EmbeddedPython.evaluate>")
            defer { Py_DecRef(value) }
            guard let text = PyObject_Str(value) else { throw currentException() }
            defer { Py_DecRef(text) }
            guard let string = Self.string(text) else { throw currentException() }
            return string
        }
    }

    /// Runs a scenario file in a fresh namespace and returns the JSON text of the dict its
    /// `main(argv)` returned.
    func runScenario(path: String, commandLine: [String]) throws -> String {
        try withGIL {
            guard let path = PyUnicode_FromString(path) else { throw currentException() }
            defer { Py_DecRef(path) }
            guard let argv = PyList_New(0) else { throw currentException() }
            defer { Py_DecRef(argv) }
            for argument in commandLine {
                guard let item = PyUnicode_FromString(argument) else { throw currentException() }
                defer { Py_DecRef(item) }
                guard PyList_Append(argv, item) == 0 else { throw currentException() }
            }
            var arguments: [UnsafeMutablePointer<PyObject>?] = [path, argv]
            guard let json = PyObject_Vectorcall(runScenarioFunction, &arguments, arguments.count, nil) else {
                throw currentException()
            }
            defer { Py_DecRef(json) }
            guard let string = Self.string(json) else { throw currentException() }
            return string
        }
    }

    private func withGIL<T>(_ body: () throws -> T) rethrows -> T {
        PyEval_RestoreThread(threadState)
        defer { threadState = PyEval_SaveThread() }
        return try body()
    }

    /// Compiles and runs `source`; returns a new reference to the result. Needs the GIL.
    private func execute(_ source: String, mode: Int32, filename: String) throws -> UnsafeMutablePointer<PyObject> {
        guard let code = Py_CompileStringExFlags(source, filename, mode, nil, -1) else { throw currentException() }
        defer { Py_DecRef(code) }
        guard let result = PyEval_EvalCode(code, mainNamespace, mainNamespace) else { throw currentException() }
        return result
    }

    /// Converts a Python `str` to a Swift String, keeping embedded NULs; nil with a Python exception
    /// set when `object` is not a `str`. Needs the GIL.
    private static func string(_ object: UnsafeMutablePointer<PyObject>?) -> String? {
        var length: Py_ssize_t = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(object, &length) else { return nil }
        return utf8.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Takes the pending Python exception and describes it with type, message and traceback. Needs the GIL.
    private func currentException() -> PythonError {
        var type: UnsafeMutablePointer<PyObject>?
        var value: UnsafeMutablePointer<PyObject>?
        var traceback: UnsafeMutablePointer<PyObject>?
        PyErr_Fetch(&type, &value, &traceback)
        PyErr_NormalizeException(&type, &value, &traceback)
        defer {
            Py_DecRef(type)
            Py_DecRef(value)
            Py_DecRef(traceback)
        }
        guard let value else {
            return PythonError(code: .exception, message: "a Python call failed without setting an exception")
        }
        // PyErr_Fetch detaches the traceback; put it back so traceback.format_exception sees it.
        if let traceback { PyException_SetTraceback(value, traceback) }
        guard let description = PyObject_CallOneArg(describeExceptionFunction, value) else {
            PyErr_Clear()
            return PythonError(code: .exception, message: "the exception could not be formatted")
        }
        defer { Py_DecRef(description) }
        // describe_exception returns (type name, message, traceback text).
        guard PyTuple_Size(description) == 3,
            let exceptionType = Self.string(PyTuple_GetItem(description, 0)),
            let message = Self.string(PyTuple_GetItem(description, 1)),
            let traceback = Self.string(PyTuple_GetItem(description, 2))
        else {
            PyErr_Clear()
            return PythonError(code: .exception, message: "describe_exception returned an unexpected value")
        }
        return PythonError(code: .exception, exceptionType: exceptionType, message: message, traceback: traceback)
    }

    private static let helperSource = """
        import json, runpy, sys, traceback

        def run_scenario(path, argv):
            saved_argv = sys.argv
            sys.argv = [path, *argv]
            try:
                # A name other than "__main__" keeps the file's command-line block from running.
                namespace = runpy.run_path(path, run_name="__scenario__")
                if not callable(namespace.get("main")):
                    raise AttributeError(f"{path} defines no main(argv) function")
                result = namespace["main"](list(argv))
            finally:
                sys.argv = saved_argv
            if not isinstance(result, dict):
                raise TypeError(f"main(argv) in {path} returned {type(result).__name__}, not dict")
            return json.dumps(result)

        def describe_exception(exception):
            cls = type(exception)
            name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
            return name, str(exception), "".join(traceback.format_exception(exception))
        """
}
