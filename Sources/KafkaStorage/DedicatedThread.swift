#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain OS thread running one closure, for work that blocks in system calls (fsync) and so
/// must stay off Swift's cooperative pool and off the event loops.
final class DedicatedThread: Sendable {
    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    #if canImport(Darwin)
        /// Only `join` uses it; on Darwin `pthread_t` is a pointer type, hence the `unsafe`.
        nonisolated(unsafe) private let handle: pthread_t?
    #else
        private let handle: pthread_t
    #endif

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        #if canImport(Darwin)
            var handle: pthread_t?
        #else
            var handle = pthread_t()
        #endif
        let result = pthread_create(
            &handle, nil,
            { context in
                #if canImport(Darwin)
                    let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
                #else
                    let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                #endif
                body.run()
                return nil
            }, context)
        precondition(result == 0, "pthread_create failed with \(result)")
        self.handle = handle
    }

    /// Waits for the closure to return.
    func join() {
        #if canImport(Darwin)
            pthread_join(handle!, nil)
        #else
            pthread_join(handle, nil)
        #endif
    }
}
