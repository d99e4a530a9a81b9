#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 without an event loop, for clients that misbehave at
/// the socket level: never read, trickle bytes, or come by the thousand. Closed when released.
final class PlainSocket {
    struct Failure: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call) failed: errno \(code)" }
    }

    let descriptor: Int32

    /// - Parameter receiveBufferBytes: a small kernel receive buffer makes a client that never
    ///   reads push back on the broker sooner.
    init(port: Int, receiveBufferBytes: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", code: errno) }
        if var size = receiveBufferBytes {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        // A send that cannot finish within 5 s fails instead of hanging the test.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(call: "connect", code: code)
        }
    }

    deinit {
        close(descriptor)
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw Failure(call: "send", code: errno) }
            sent += result
        }
    }

    /// Whether the broker closed the connection, waiting up to `timeoutMs` for it. Reads and
    /// drops whatever responses arrive meanwhile.
    func waitForClose(timeoutMs: Int32) -> Bool {
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
