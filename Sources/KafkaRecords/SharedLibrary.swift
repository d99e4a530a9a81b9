#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A C library opened with `dlopen` while the program runs, so that a machine without it still
/// builds and runs everything that does not need it. It is never closed: the function pointers
/// taken from it stay valid for the life of the process.
struct SharedLibrary: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer

    /// Opens the first of `names` (sonames, looked up as the dynamic loader looks them up) that loads.
    static func open(firstOf names: [String]) throws(SharedLibraryError) -> SharedLibrary {
        var failures: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
                return SharedLibrary(handle: handle)
            }
            failures.append(lastLoaderError() ?? "\(name) could not be loaded")
        }
        throw SharedLibraryError(failures.isEmpty ? "no library name to load" : failures.joined(separator: "; "))
    }

    /// The C function `name`, typed as `Function`, which must be the `@convention(c)` type that
    /// matches the library's declaration.
    func function<Function>(_ name: String) throws(SharedLibraryError) -> Function {
        guard let address = dlsym(handle, name) else {
            throw SharedLibraryError(Self.lastLoaderError() ?? "\(name) is missing from the library")
        }
        return unsafeBitCast(address, to: Function.self)
    }

    private static func lastLoaderError() -> String? {
        dlerror().map { String(cString: $0) }
    }
}

/// The dynamic loader's explanation of why a library or one of its functions could not be had.
struct SharedLibraryError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
