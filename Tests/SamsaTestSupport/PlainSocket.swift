#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 without an event loop, for clients that misbehave at
/// the socket level: never read, trickle bytes, or come by the thousand. Closed when released.
public final class PlainSocket {
    public let descriptor: Int32

    /// - Parameter receiveBufferBytes: a small kernel receive buffer makes a client that never
    ///   reads push back on the broker sooner.
    public init(port: Int, receiveBufferBytes: Int32? = nil) throws {
        descriptor = try Loopback.connectedSocket(port: port, receiveBufferBytes: receiveBufferBytes)
        // A send that cannot finish within 5 s fails instead of hanging the test.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw Loopback.Failure(call: "send", code: errno) }
            sent += result
        }
    }

    /// Whether the broker closed the connection, waiting up to `timeoutMs` for it. Reads and
    /// drops whatever responses arrive meanwhile.
    public func waitForClose(timeoutMs: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var remaining = timeoutMs
        while remaining > 0 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let step = min(remaining, 100)
            remaining -= step
            guard poll(&poller, 1, step) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 || (count < 0 && errno == ECONNRESET) { return true }
        }
        return false
    }
}
