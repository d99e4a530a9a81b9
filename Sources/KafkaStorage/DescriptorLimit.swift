#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit on open descriptors (RLIMIT_NOFILE).
public struct DescriptorLimit: Equatable, Sendable {
    public var soft: Int
    public var hard: Int

    public init(soft: Int, hard: Int) {
        self.soft = soft
        self.hard = hard
    }

    /// The limits now; a process without them (which no supported platform is) gets 1024.
    public static func current() -> DescriptorLimit {
        var limit = rlimit()
        guard getrlimit(resourceNumber, &limit) == 0 else { return DescriptorLimit(soft: 1024, hard: 1024) }
        return DescriptorLimit(soft: clamped(limit.rlim_cur), hard: clamped(limit.rlim_max))
    }

    /// Raises the soft limit to the hard one, which any process may do, and returns the limits
    /// before and after. A server that holds thousands of files and connections needs more than
    /// the usual default soft limit of 1024.
    @discardableResult
    public static func raiseSoftLimitToHard() -> (before: DescriptorLimit, after: DescriptorLimit) {
        let before = current()
        var limit = rlimit()
        if getrlimit(resourceNumber, &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
                // macOS refuses a soft limit above OPEN_MAX however high the hard limit is.
                limit.rlim_cur = min(limit.rlim_cur, rlim_t(OPEN_MAX))
            #endif
            _ = setrlimit(resourceNumber, &limit)
        }
        return (before, current())
    }

    private static var resourceNumber: Int32 {
        #if canImport(Glibc)
            Int32(RLIMIT_NOFILE.rawValue)
        #else
            RLIMIT_NOFILE
        #endif
    }

    private static func clamped(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }
}
